# user/lab5: lab 5's servers and programs. tasktest: the task system calls against their
# documented errors (`run tasktest`), from stage 4 on (the kernel's task calls are there); the
# rest from stage 5 on, where lab 5's student files (solutions/user/lab5/) exist.
$(eval $(call user_program,tasktest,user/lab5/tasktest.c user/lab4/check.c))
ifneq ($(filter-out 1 2 3 4,$(LAB)),)
# blktest: the virtio-blk driver alone (run it with a disk: make qemu DISK=image, then `run blktest`).
$(eval $(call user_program,blktest,user/lab5/blktest.c user/lab5/virtio_blk.c user/lab4/check.c))
# init: the root task (`run init`): name service, device policy, boot sequence, supervisor.
$(eval $(call user_program,init,user/lab5/init.c))
# consd: the console server; sh: the shell; exit3, crash: programs the shell's tests run.
$(eval $(call user_program,consd,user/lab5/consd.c))
# sh's file-system builtins (sh_fs.c) come with the runtime's file-system client library.
$(eval $(call user_program,sh,user/lab5/sh.c $(if $(filter user/lib/fsclient.c,$(USER_RUNTIME)),user/lab5/sh_fs.c)))
$(eval $(call user_program,exit3,user/lab5/exit3.c))
$(eval $(call user_program,crash,user/lab5/crash.c))
# nsbench: the name service's numbers (a lookup's instructions, a restart's), run from the shell.
$(eval $(call user_program,nsbench,user/lab5/nsbench.c))
# blkd: the block server (kit/blk.h); fsd: the file-system server (kit/fsclient.h) and its core
# (FS_CORE, also built on the host by make mkfs: build/host/fs-host); fswork: a seeded
# file-system workload.
FS_CORE := user/lab5/bcache.c user/lab5/log.c user/lab5/inode.c user/lab5/dir.c user/lab5/fsops.c
$(eval $(call user_program,blkd,user/lab5/blkd.c user/lab5/virtio_blk.c))
$(eval $(call user_program,fsd,user/lab5/fsd.c $(FS_CORE)))
$(eval $(call user_program,fswork,user/lab5/fswork.c))
# nstest: the name service's checks, what init gives a task, consd's fault (`nstest MODE`);
# nsclient: the same program, as the client that nstest 0 spawns.
$(eval $(call user_program,nstest,user/lab5/nstest.c user/lab4/check.c))
$(eval $(call user_program,nsclient,user/lab5/nstest.c user/lab4/check.c))
endif
