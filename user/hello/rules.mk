# user/hello: the smallest user program; the kit's tests check how it is built and linked.
$(eval $(call user_program,hello,user/hello/hello.c))
