/*
 * lx_proc.c: a Linux program's process calls: exit, its identity, its
 * thread pointer.
 */
#include "linuxd.h"
#include "linux_nr.h"

LX_HANDLER(exit)
{
	p->exited = true;
	p->code = (long)(c->a[0] & 0xff);
	return 0;
}

LX_HANDLER(getpid)
{
	(void)c;
	return (long)p->pid;
}

LX_HANDLER(getppid)
{
	(void)c;
	return (long)p->ppid;
}

/* arch_prctl (ARCH_SET_FS, addr): the reply sets the thread pointer (x86_64's FS base). */
LX_HANDLER(arch_prctl)
{
	(void)p;
	if (c->a[0] != LX_ARCH_SET_FS)
		return -LX_EINVAL;
	c->tls = true;
	c->tls_value = c->a[1];
	return 0;
}
