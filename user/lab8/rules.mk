# user/lab8: lab 8's capstone, the keyword-spotting service (the kernel's `kwsbench` command
# starts kws, which spawns kwsd; handout/lab8-metrics.md, "The capstone"). The model
# (kws_model.c) is plain C the host also compiles (tests/test_kws.py).
ifneq ($(filter-out 1 2 3 4 5 6 7,$(LAB)),)
$(eval $(call user_program,kws,user/lab8/kws.c))
$(eval $(call user_program,kwsd,user/lab8/kwsd.c user/lab8/kws_model.c))
endif
# The network's loops are the service's whole compute: -O2, as a deployed int8 kernel would be.
$(BUILD)/user/obj/user/lab8/kws_model.c.o: USER_CFLAGS += -O2
