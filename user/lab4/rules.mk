# user/lab4: lab 4's test programs (boot modules the grader runs with the monitor's `run NAME`):
# sysbasic (every part-A call once), sysbad (each call with bad arguments against its documented
# error), fault (a user fault stops the task, not the kernel), sysbench (the null system call's
# path length, measured from user space), caps (part B: the cspace operations and retype).
$(eval $(call user_program,sysbasic,user/lab4/sysbasic.c))
$(eval $(call user_program,sysbad,user/lab4/sysbad.c user/lab4/check.c))
$(eval $(call user_program,fault,user/lab4/fault.c))
$(eval $(call user_program,sysbench,user/lab4/sysbench.c))
$(eval $(call user_program,caps,user/lab4/caps.c user/lab4/check.c))
$(eval $(call user_program,ipc,user/lab4/ipc.c user/lab4/check.c))
$(eval $(call user_program,ipcrand,user/lab4/ipcrand.c user/lab4/check.c))
$(eval $(call user_program,pingpong,user/lab4/pingpong.c))
$(eval $(call user_program,pingserver,user/lab4/pingserver.c))
$(eval $(call user_program,fuzz,user/lab4/fuzz.c user/lab4/check.c))
$(eval $(call user_program,frames,user/lab4/frames.c user/lab4/check.c))
$(eval $(call user_program,frameshare,user/lab4/frameshare.c))
$(eval $(call user_program,device,user/lab4/device.c user/lab4/check.c))
$(eval $(call user_program,cspace,user/lab4/cspace.c user/lab4/check.c))
