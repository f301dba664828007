# user/lab5: lab 5's servers and programs. blktest: the virtio-blk driver alone (run it with a
# disk: make qemu DISK=image, then `run blktest`). init: the root task (`run init`): name
# service, device policy, boot sequence, supervisor.
$(eval $(call user_program,blktest,user/lab5/blktest.c user/lab5/virtio_blk.c user/lab4/check.c))
$(eval $(call user_program,init,user/lab5/init.c))
