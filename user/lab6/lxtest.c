/*
 * lxtest.c: lab 6's kernel interface against its documented errors, run
 * from the monitor (`run lxtest`): SYS_TASK_CREATE's Linux fields (bad
 * sizes, ncaps with linux_ep, a notification as linux_ep, the lab-5 spec
 * length), the forwarded Call (label, length, number and argument), a
 * Reply of 0 MRs (-ENOSYS in the program), a KIT_LINUX_REPLY_TLS reply
 * (the program reads through its new thread pointer: the heap word this
 * test wrote with SYS_TASK_MEM_WRITE), SYS_TASK_MEM_READ/WRITE's errors,
 * and a Linux task whose server drops it (its last task capability
 * deleted while it waits for a reply): killed, the kernel goes on. Then
 * SYS_LINUX_DEFER and SYS_LINUX_REPLY (errors; a call set aside and answered
 * later, the program sees the result and the thread pointer; a task killed
 * while set aside) and fork's regs_task (the child waits set aside until
 * answered, then resumes after the call with result 0, the register the
 * parent set before it, its thread pointer; one killed before it ran),
 * with the instructions of a plain Reply and of a defer + later reply
 * printed. And SYS_TIMER_SIGNAL (lab 6's timer): its clock, its
 * errors, a signal at its deadline (not before, within 100 us after), one
 * replaced, cancelled, rearmed earlier, or already due. Then two Linux
 * tasks that each keep a value in FP/SIMD registers and a thread pointer
 * of their own while the timer switches between them, and a fork child of
 * one that starts with a copy of both (the kernel's ustate.c). Checks
 * "lx-*" in suite "lx".
 */
#include "user.h"
#include "kit/elf.h"
#include "../lab4/check.h"

#define EP	      8	 /* the Linux endpoint */
#define NTFN	      9	 /* its exit notification */
#define T	      10 /* its task capability */
#define T_RO	      11 /* a read-only copy */
#define T_CHILD	      12 /* fork's child */
#define EP_KIT	      13 /* an endpoint a kit thread calls on (not a Linux call) */
#define TCB_KIT	      14 /* that thread */
#define KIT_IPCBUF_VA 0x3fe00000UL
#define WORD_CHILD    0x5678UL /* what the child's heap holds at its thread pointer */
#define KEPT	      99       /* what the program puts in s1 / rbx before call 5 */
#define ENTRY_VA      0x400000UL
#define WORD	      0x1234abcdUL /* what the test puts at KIT_LINUX_HEAP_BASE */
#define EP_B	      16	   /* the second FP program's Linux endpoint */
#define T_B	      17	   /* its task capability */
#define FP_ROUNDS     4

/* The program: call 2 (42); call 3 (call 2's result); call 4 (the word at the thread
 * pointer); KEPT into a callee-saved register; call 5; call 6 (call 5's result); call 7 (that
 * register); call 8 (the word at the thread pointer); then loop. */
#if defined(__riscv)
static const uint32_t code[] = {0x02a00513,  /* li a0, 42 */
				0x00200893,  /* li a7, 2 */
				0x00000073,  /* ecall */
				0x00300893,  /* li a7, 3 */
				0x00000073,  /* ecall */
				0x00023503,  /* ld a0, 0(tp) */
				0x00400893,  /* li a7, 4 */
				0x00000073,  /* ecall */
				0x06300493,  /* li s1, 99 */
				0x00500893,  /* li a7, 5 */
				0x00000073,  /* ecall */
				0x00600893,  /* li a7, 6 */
				0x00000073,  /* ecall */
				0x00048513,  /* mv a0, s1 */
				0x00700893,  /* li a7, 7 */
				0x00000073,  /* ecall */
				0x00023503,  /* ld a0, 0(tp) */
				0x00800893,  /* li a7, 8 */
				0x00000073,  /* ecall */
				0x0000006f}; /* 1: j 1b */
#define CALL5_ARG 0			     /* a0: call 4's result */
#elif defined(__x86_64__)
static const unsigned char code[] = {0xbf, 0x2a, 0,    0,    0,		       /* mov $42, %edi */
				     0xb8, 0x02, 0,    0,    0,		       /* mov $2, %eax */
				     0x0f, 0x05,			       /* syscall */
				     0x48, 0x89, 0xc7,			       /* mov %rax, %rdi */
				     0xb8, 0x03, 0,    0,    0,		       /* mov $3, %eax */
				     0x0f, 0x05,			       /* syscall */
				     0x64, 0x48, 0x8b, 0x3c, 0x25, 0, 0, 0, 0, /* mov %fs:0, %rdi */
				     0xb8, 0x04, 0,    0,    0,		       /* mov $4, %eax */
				     0x0f, 0x05,			       /* syscall */
				     0xbb, 0x63, 0,    0,    0,		       /* mov $99, %ebx */
				     0xb8, 0x05, 0,    0,    0,		       /* mov $5, %eax */
				     0x0f, 0x05,			       /* syscall */
				     0x48, 0x89, 0xc7,			       /* mov %rax, %rdi */
				     0xb8, 0x06, 0,    0,    0,		       /* mov $6, %eax */
				     0x0f, 0x05,			       /* syscall */
				     0x48, 0x89, 0xdf,			       /* mov %rbx, %rdi */
				     0xb8, 0x07, 0,    0,    0,		       /* mov $7, %eax */
				     0x0f, 0x05,			       /* syscall */
				     0x64, 0x48, 0x8b, 0x3c, 0x25, 0, 0, 0, 0, /* mov %fs:0, %rdi */
				     0xb8, 0x08, 0,    0,    0,		       /* mov $8, %eax */
				     0x0f, 0x05,			       /* syscall */
				     0xeb, 0xfe};			       /* 1: jmp 1b */
#define CALL5_ARG WORD /* rdi: call 4's argument */
#else
#define LX_NO_PORT /* aarch64: not yet, but for the FP program (main says so) */
static const unsigned char code[4];
#define CALL5_ARG  0
#endif

/* The FP program: call 2, whose result v goes into two FP/SIMD registers (v and ~v), then for
 * ever: spin about 500,000 instructions (five quanta: the timer switches between two such
 * programs), call 3 with those two registers and the word at its thread pointer. */
#if defined(__riscv)
static const uint32_t fpcode[] = {0x00200893,  /* li a7, 2 */
				  0x00000073,  /* ecall */
				  0xf2050053,  /* fmv.d.x f0, a0 */
				  0xfff54293,  /* not t0, a0 */
				  0xf2028fd3,  /* fmv.d.x f31, t0 */
				  0x00040337,  /* 2: lui t1, 0x40 */
				  0xfff30313,  /* 1: addi t1, t1, -1 */
				  0xfe031ee3,  /* bnez t1, 1b */
				  0xe2000553,  /* fmv.x.d a0, f0 */
				  0xe20f85d3,  /* fmv.x.d a1, f31 */
				  0x00023603,  /* ld a2, 0(tp) */
				  0x00300893,  /* li a7, 3 */
				  0x00000073,  /* ecall */
				  0xfe1ff06f}; /* j 2b */
#elif defined(__x86_64__)
static const unsigned char fpcode[] = {0xb8, 0x02, 0,	 0,    0,	       /* mov $2, %eax */
				       0x0f, 0x05,			       /* syscall */
				       0x66, 0x48, 0x0f, 0x6e, 0xc0, /* movq %rax, %xmm0 */
				       0x48, 0xf7, 0xd0,	     /* not %rax */
				       0x66, 0x4c, 0x0f, 0x6e, 0xf8, /* movq %rax, %xmm15 */
				       0xb9, 0,	   0,	 0x04, 0,    /* 2: mov $0x40000, %ecx */
				       0xff, 0xc9,		     /* 1: dec %ecx */
				       0x75, 0xfc,		     /* jnz 1b */
				       0x66, 0x48, 0x0f, 0x7e, 0xc7, /* movq %xmm0, %rdi */
				       0x66, 0x4c, 0x0f, 0x7e, 0xfe, /* movq %xmm15, %rsi */
				       0x64, 0x48, 0x8b, 0x14, 0x25,
				       0,    0,	   0,	 0,	  /* mov %fs:0, %rdx */
				       0xb8, 0x03, 0,	 0,    0, /* mov $3, %eax */
				       0x0f, 0x05,		  /* syscall */
				       0xeb, 0xdb};		  /* jmp 2b */
#else
static const uint32_t fpcode[] = {0xd2800048,  /* mov x8, #2 */
				  0xd4000001,  /* svc #0 */
				  0x9e670000,  /* fmov d0, x0 */
				  0xaa2003e9,  /* mvn x9, x0 */
				  0x9e67013f,  /* fmov d31, x9 */
				  0xd2a0008a,  /* 2: mov x10, #0x40000 */
				  0xf100054a,  /* 1: subs x10, x10, #1 */
				  0x54ffffe1,  /* b.ne 1b */
				  0x9e660000,  /* fmov x0, d0 */
				  0x9e6603e1,  /* fmov x1, d31 */
				  0xd53bd04b,  /* mrs x11, tpidr_el0 */
				  0xf9400162,  /* ldr x2, [x11] */
				  0xd2800068,  /* mov x8, #3 */
				  0xd4000001,  /* svc #0 */
				  0x17fffff7}; /* b 2b */
#endif

/* The images: a header, one R+X PT_LOAD of the whole image at ENTRY_VA, the code after. */
static struct {
	struct elf64_ehdr e;
	struct elf64_phdr p;
	unsigned char code[sizeof(code)];
} img;
static struct {
	struct elf64_ehdr e;
	struct elf64_phdr p;
	unsigned char code[sizeof(fpcode)];
} fpimg;

static unsigned long stack[4] = {0}; /* argc 0, argv and envp empty, AT_NULL: 32 bytes */

static void image_init(void)
{
	check_elf_image(&img, sizeof(img), 1, ENTRY_VA, offsetof(typeof(img), code));
	memcpy(img.code, code, sizeof(code));
	check_elf_image(&fpimg, sizeof(fpimg), 1, ENTRY_VA, offsetof(typeof(fpimg), code));
	memcpy(fpimg.code, fpcode, sizeof(fpcode));
}

static struct kit_task_spec spec(void)
{
	struct kit_task_spec s = {.elf = (unsigned long)&img, .elf_size = sizeof(img)};

	memcpy(s.name, "lxprog", 7);
	s.exit_ntfn = NTFN;
	s.linux_ep = EP;
	s.stack = (unsigned long)stack;
	s.stack_size = sizeof(stack);
	s.heap_pages = 1;
	return s;
}

/* create: SYS_TASK_CREATE of s (len bytes) into T, emptied first. */
static long create(const struct kit_task_spec *s, unsigned long len)
{
	sys_cap_delete(T);
	return kit_syscall(SYS_TASK_CREATE, (long)s, (long)len, T, 0, 0, 0);
}

static long mem(long nr, unsigned long task, void *buf, unsigned long addr, unsigned long len)
{
	return kit_syscall(nr, (long)task, (long)buf, (long)addr, (long)len, 0, 0);
}

#define TN	 20	  /* the timer test's notification */
#define TN_RO	 21	  /* a read-only copy of it */
#define TN_B	 22	  /* a copy badged 2 */
#define TIMER_MS 1000000L /* 1 ms of the kernel's clock (ns) */

static long timer(unsigned long ntfn, unsigned long deadline)
{
	return kit_syscall(SYS_TIMER_SIGNAL, (long)ntfn, (long)deadline, 0, 0, 0, 0);
}

/* timer_wait: wait for TN's word; whether it came in [deadline, deadline + 100 us). */
static bool timer_wait(unsigned long *w, long deadline)
{
	sys_wait(TN, w);
	long t = timer(0, 0);
	return t >= deadline && t < deadline + TIMER_MS / 10;
}

static void timers(void)
{
	unsigned long w = 0;
	long t = timer(0, 0);

	check_eq("lx-timer-clock", t >= 0 && timer(0, 0) >= t, 1);
	if (sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_NOTIFICATION, 0, TN, 1) < 0 ||
	    sys_cap_copy(TN_RO, TN, KIT_RIGHT_READ) < 0 ||
	    sys_cap_mint(TN_B, TN, KIT_RIGHTS_ALL, 2))
		printf("lxtest: no notification\n");
	check_eq("lx-timer-empty", timer(250, (unsigned long)t), -EINVAL);
	check_eq("lx-timer-endpoint", timer(EP, (unsigned long)t), -EINVAL);
	check_eq("lx-timer-read-only", timer(TN_RO, (unsigned long)t), -EPERM);
	t = timer(TN, (unsigned long)timer(0, 0) + TIMER_MS);
	sys_poll(TN, &w);
	check_eq("lx-timer-not-yet", (long)w, 0);
	check_eq("lx-timer-on-time", timer_wait(&w, t + TIMER_MS), 1);
	check_eq("lx-timer-badge", (long)w, 1);
	t = timer(TN, (unsigned long)timer(0, 0) + TIMER_MS);
	timer(TN_B, (unsigned long)t + 2 * TIMER_MS); /* replaces it */
	check_eq("lx-timer-replaced", timer_wait(&w, t + 2 * TIMER_MS) && w == 2, 1);
	t = timer(TN_B, (unsigned long)timer(0, 0) + TIMER_MS);
	timer(TN_B, KIT_TIME_NEVER);
	timer(TN, (unsigned long)t + 2 * TIMER_MS);
	check_eq("lx-timer-cancelled", timer_wait(&w, t + 2 * TIMER_MS) && w == 1, 1);
	t = timer(TN, (unsigned long)timer(0, 0) + 50 * TIMER_MS); /* a worker sleeps 50 ms */
	timer(TN, (unsigned long)t + TIMER_MS);			   /* another wakes in 1 */
	check_eq("lx-timer-earlier", timer_wait(&w, t + TIMER_MS), 1);
	timer(TN, 1);
	sys_poll(TN, &w);
	check_eq("lx-timer-due", (long)w, 1);
}

static void bad_specs(void)
{
	struct kit_task_spec s = spec();
	struct kit_task_status st;
	unsigned long w;

	s.ncaps = 1, s.caps[0].src = EP, s.caps[0].dest = 8;
	check_eq("lx-ncaps", create(&s, sizeof(s)), -EINVAL);
	s = spec(), s.stack_size = 8;
	check_eq("lx-stack-unaligned", create(&s, sizeof(s)), -EINVAL);
	s = spec(), s.stack_size = KIT_LINUX_STACK_MAX + 16;
	check_eq("lx-stack-big", create(&s, sizeof(s)), -EINVAL);
	s = spec(), s.heap_pages = KIT_LINUX_HEAP_MAX + 1;
	check_eq("lx-heap-big", create(&s, sizeof(s)), -EINVAL);
	s = spec(), s.linux_ep = NTFN;
	check_eq("lx-ep-type", create(&s, sizeof(s)), -EINVAL);
	s = spec(), s.stack = 0x10;
	check_eq("lx-stack-fault", create(&s, sizeof(s)), -EFAULT);
	check_eq("lx-len", create(&s, sizeof(s) - 4), -EINVAL);
	s = spec(); /* the lab-5 length: no Linux fields, the kit's ABI (call 2 is SYS_EXIT 42) */
	check_eq("lx-lab5-len", create(&s, KIT_TASK_SPEC_LAB5_LEN), 0);
	while (sys_task_status(T, &st) == -EBUSY)
		sys_wait(NTFN, &w);
	check_eq("lx-lab5-exit", st.code, 42);
}

/* expect: receive one forwarded call: its number and first argument. */
static void expect(const char *name, struct kit_msg *m, unsigned long nr, unsigned long a0)
{
	char c[32];

	check_eq(name, kit_recv(EP, m), KIT_RECV_MESSAGE);
	snprintf(c, sizeof(c), "%s-label", name);
	check_eq(c, (long)KIT_MSGINFO_LABEL(m->info), KIT_LABEL_LINUX_SYSCALL);
	snprintf(c, sizeof(c), "%s-len", name);
	check_eq(c, (long)KIT_MSGINFO_LEN(m->info), KIT_LINUX_SYSCALL_MRS);
	snprintf(c, sizeof(c), "%s-nr", name);
	check_eq(c, (long)m->mr[0], (long)nr);
	snprintf(c, sizeof(c), "%s-arg", name);
	check_eq(c, (long)m->mr[1], (long)a0);
}

static void forwarding(void)
{
	struct kit_task_spec s = spec();
	struct kit_msg m;
	unsigned long word = WORD, got = 0;
	char page[64];

	check_eq("lx-create", create(&s, sizeof(s)), 0);
	sys_cap_delete(T_RO);
	sys_cap_copy(T_RO, T, KIT_RIGHT_READ);
	expect("lx-call1", &m, 2, 42);
	m.info = KIT_MSGINFO(0, 0, 0); /* 0 MRs: -ENOSYS */
	check_eq("lx-reply1", kit_reply(&m), 0);
	expect("lx-call2", &m, 3, (unsigned long)-ENOSYS);
	check_eq("lx-mem-write", mem(SYS_TASK_MEM_WRITE, T, &word, KIT_LINUX_HEAP_BASE, 8), 0);
	check_eq("lx-mem-read", mem(SYS_TASK_MEM_READ, T, &got, KIT_LINUX_HEAP_BASE, 8), 0);
	check_eq("lx-mem-back", (long)got, (long)WORD);
	check_eq("lx-mem-code", mem(SYS_TASK_MEM_READ, T, page, ENTRY_VA, sizeof(page)), 0);
	check_eq("lx-mem-code-eq", memcmp(page, &img, sizeof(page)), 0);
	check_eq("lx-mem-ro", mem(SYS_TASK_MEM_WRITE, T, page, ENTRY_VA, 8), -EFAULT);
	check_eq("lx-mem-unmapped", mem(SYS_TASK_MEM_READ, T, page, 0x1000, 8), -EFAULT);
	check_eq("lx-mem-kernel", mem(SYS_TASK_MEM_READ, T, page, ~0UL - 7, 8), -EFAULT);
	check_eq("lx-mem-buf", mem(SYS_TASK_MEM_READ, T, (void *)0x10, ENTRY_VA, 8), -EFAULT);
	check_eq("lx-mem-len", mem(SYS_TASK_MEM_READ, T, page, ENTRY_VA, KIT_TASK_MEM_MAX + 1),
		 -EINVAL);
	check_eq("lx-mem-perm", mem(SYS_TASK_MEM_WRITE, T_RO, &word, KIT_LINUX_HEAP_BASE, 8),
		 -EPERM);
	check_eq("lx-mem-cap", mem(SYS_TASK_MEM_READ, EP, page, ENTRY_VA, 8), -EINVAL);
	m.info = KIT_MSGINFO(KIT_LINUX_REPLY_TLS, 0, 2);
	m.mr[0] = 7;
	m.mr[1] = KIT_LINUX_HEAP_BASE;
	check_eq("lx-reply2", kit_reply(&m), 0);
	expect("lx-call3", &m, 4, WORD); /* it read WORD through its new thread pointer */
	/* its server drops it while it waits for the reply: its last task capability goes */
	sys_cap_delete(T_RO);
	check_eq("lx-drop", sys_cap_delete(T), 0);
	check_eq("lx-dropped-reply", kit_reply(&m), -ENOENT);
	check_eq("lx-after", create(&s, sizeof(s)), 0); /* the kernel goes on */
	expect("lx-after-call", &m, 2, 42);
	check_eq("lx-kill", sys_task_kill(T), 0);
	struct kit_task_status st;
	unsigned long w;
	while (sys_task_status(T, &st) == -EBUSY)
		sys_wait(NTFN, &w);
	check_eq("lx-killed", (long)st.state, KIT_TASK_KILLED);
	check_eq("lx-mem-ended", mem(SYS_TASK_MEM_READ, T, page, ENTRY_VA, 8), -ESRCH);
}

static long defer(void)
{
	return kit_syscall(SYS_LINUX_DEFER, 0, 0, 0, 0, 0, 0);
}

static long lreply(unsigned long task, unsigned long info, unsigned long mr0, unsigned long mr1)
{
	return kit_syscall(SYS_LINUX_REPLY, (long)task, (long)info, (long)mr0, (long)mr1, 0, 0);
}

static uint8_t kit_stack[4096] __attribute__((aligned(16)));

/* kit_caller: a kit thread's plain Call on EP_KIT (not a forwarded Linux call). */
static void kit_caller(unsigned long arg)
{
	struct kit_msg m = {.info = KIT_MSGINFO(0, 0, 1), .mr = {arg}};

	kit_call(EP_KIT, &m);
}

/* not_linux: SYS_LINUX_DEFER of a kit thread's Call: -EINVAL, and the Call stays answerable. */
static void not_linux(void)
{
	struct kit_msg m;

	if (sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_ENDPOINT, 0, EP_KIT, 1) < 0 ||
	    sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_TCB, 0, TCB_KIT, 1) < 0 ||
	    kit_thread_start(TCB_KIT, kit_caller, kit_stack + sizeof(kit_stack), KIT_IPCBUF_VA, 5) <
		0)
		printf("lxtest: no kit thread\n");
	check_eq("lx-defer-kit", kit_recv(EP_KIT, &m), KIT_RECV_MESSAGE);
	check_eq("lx-defer-kit-einval", defer(), -EINVAL);
	m.info = KIT_MSGINFO(0, 0, 0);
	check_eq("lx-defer-kit-reply", kit_reply(&m), 0);
}

/* wait_end: wait for task slot's end: its state. */
static long wait_end(unsigned long slot)
{
	struct kit_task_status st;
	unsigned long w;

	while (sys_task_status(slot, &st) == -EBUSY)
		sys_wait(NTFN, &w);
	return (long)st.state;
}

/* deferring: a Linux call set aside and answered later, and fork's child. */
static void deferring(void)
{
	struct kit_task_spec s = spec();
	struct kit_msg m;
	unsigned long word = WORD, cword = WORD_CHILD;
	uint64_t c0, c1, c2, c3;

	check_eq("lx-defer-none", defer(), -ENOENT);
	not_linux();
	check_eq("lx-defer-create", create(&s, sizeof(s)), 0);
	sys_cap_delete(T_RO);
	sys_cap_copy(T_RO, T, KIT_RIGHT_READ);
	check_eq("lx-lreply-none", lreply(T, KIT_MSGINFO(0, 0, 1), 1, 0), -ENOENT);
	expect("lx-defer-call1", &m, 2, 42);
	check_eq("lx-lreply-not-set-aside", lreply(T, KIT_MSGINFO(0, 0, 1), 1, 0), -ENOENT);
	check_eq("lx-defer", defer(), 0);
	check_eq("lx-defer-twice", defer(), -ENOENT);
	check_eq("lx-defer-reply", kit_reply(&m), -ENOENT);
	check_eq("lx-lreply-perm", lreply(T_RO, KIT_MSGINFO(0, 0, 1), 1, 0), -EPERM);
	check_eq("lx-lreply-cap", lreply(EP, KIT_MSGINFO(0, 0, 1), 1, 0), -EINVAL);
	check_eq("lx-lreply-len", lreply(T, KIT_MSGINFO(0, 0, KIT_MSG_MAX_MRS + 1), 1, 0), -EINVAL);
	check_eq("lx-lreply", lreply(T, KIT_MSGINFO(0, 0, 1), 5, 0), 0);
	check_eq("lx-lreply-twice", lreply(T, KIT_MSGINFO(0, 0, 1), 5, 0), -ENOENT);
	expect("lx-defer-call2", &m, 3, 5); /* the program saw the later reply's result */
	check_eq("lx-defer-heap", mem(SYS_TASK_MEM_WRITE, T, &word, KIT_LINUX_HEAP_BASE, 8), 0);
	c0 = kit_cycles();
	long r = defer();
	c1 = kit_cycles();
	long r2 = lreply(T, KIT_MSGINFO(KIT_LINUX_REPLY_TLS, 0, 2), 6, KIT_LINUX_HEAP_BASE);
	c2 = kit_cycles();
	check_eq("lx-defer-timed", r, 0);
	check_eq("lx-lreply-tls", r2, 0);
	expect("lx-defer-call3", &m, 4, WORD); /* the later reply set the thread pointer */
	m.info = KIT_MSGINFO(0, 0, 1), m.mr[0] = 0;
	c3 = kit_cycles();
	r = kit_reply(&m);
	uint64_t plain = kit_cycles() - c3;
	check_eq("lx-reply-timed", r, 0);
	printf("lxtest: Linux call answered: reply %lu instructions, defer + later reply %lu "
	       "(defer %lu, reply %lu)\n",
	       (unsigned long)plain, (unsigned long)(c2 - c0), (unsigned long)(c1 - c0),
	       (unsigned long)(c2 - c1));

	/* fork at call 5: the child from the parent's registers, the parent set aside */
	expect("lx-fork-call5", &m, 5, CALL5_ARG);
	check_eq("lx-fork-defer", defer(), 0); /* before the next Recv takes its place */
	struct kit_task_spec f = spec();
	f.regs_task = EP;
	sys_cap_delete(T_CHILD);
	check_eq("lx-fork-regs-cap",
		 kit_syscall(SYS_TASK_CREATE, (long)&f, sizeof(f), T_CHILD, 0, 0, 0), -EINVAL);
	check_eq("lx-fork-len6",
		 kit_syscall(SYS_TASK_CREATE, (long)&f, KIT_TASK_SPEC_LAB6_LEN, T_CHILD, 0, 0, 0),
		 0); /* the lab-6 length: no regs_task, a fresh task */
	expect("lx-fork-len6-call", &m, 2, 42);
	m.info = KIT_MSGINFO(0, 0, 1), m.mr[0] = 0;
	kit_reply(&m);
	expect("lx-fork-len6-call2", &m, 3, 0); /* received: now it waits for a reply again */
	f.regs_task = T_CHILD;
	m.info = KIT_MSGINFO(KIT_LINUX_REPLY_TLS, 0, 2), m.mr[1] = KIT_LINUX_HEAP_BASE;
	kit_reply(&m); /* it runs on to call 4: queued on EP, not waiting for a reply */
	check_eq("lx-fork-regs-not-waiting",
		 kit_syscall(SYS_TASK_CREATE, (long)&f, sizeof(f), 15, 0, 0, 0), -EINVAL);
	sys_task_kill(T_CHILD);
	check_eq("lx-fork-len6-end", wait_end(T_CHILD), KIT_TASK_KILLED);
	sys_cap_delete(T_CHILD);
	f.regs_task = T_CHILD; /* empty now */
	check_eq("lx-fork-regs-empty",
		 kit_syscall(SYS_TASK_CREATE, (long)&f, sizeof(f), T_CHILD, 0, 0, 0), -EINVAL);
	f.regs_task = T;
	check_eq("lx-fork", kit_syscall(SYS_TASK_CREATE, (long)&f, sizeof(f), T_CHILD, 0, 0, 0), 0);
	check_eq("lx-fork-heap", mem(SYS_TASK_MEM_WRITE, T_CHILD, &cword, KIT_LINUX_HEAP_BASE, 8),
		 0);
	/* the child waits in its fork call until its server answers it (its memory copied) */
	check_eq("lx-fork-child-reply", lreply(T_CHILD, KIT_MSGINFO(0, 0, 1), 0, 0), 0);
	check_eq("lx-fork-child-reply2", lreply(T_CHILD, KIT_MSGINFO(0, 0, 1), 0, 0), -ENOENT);
	expect("lx-fork-child-call6", &m, 6, 0); /* fork's child: result 0 */
	f.regs_task = T_CHILD; /* waiting for this thread's reply (its caller): allowed too */
	sys_cap_delete(15);
	check_eq("lx-fork-regs-waiting",
		 kit_syscall(SYS_TASK_CREATE, (long)&f, sizeof(f), 15, 0, 0, 0), 0);
	sys_task_kill(15);
	check_eq("lx-fork-grandchild-end", wait_end(15), KIT_TASK_KILLED);
	sys_cap_delete(15);
	m.info = KIT_MSGINFO(0, 0, 1), m.mr[0] = 0;
	kit_reply(&m);
	expect("lx-fork-child-call7", &m, 7, KEPT); /* the register the parent set */
	kit_reply(&m);
	expect("lx-fork-child-call8", &m, 8, WORD_CHILD); /* the parent's thread pointer */
	kit_reply(&m);
	check_eq("lx-fork-parent-reply", lreply(T, KIT_MSGINFO(0, 0, 1), 77, 0), 0);
	expect("lx-fork-parent-call6", &m, 6, 77);
	kit_reply(&m);
	expect("lx-fork-parent-call7", &m, 7, KEPT);
	kit_reply(&m);
	expect("lx-fork-parent-call8", &m, 8, WORD);
	/* killed while set aside: it ends; the set-aside call is gone */
	check_eq("lx-kill-defer", defer(), 0);
	check_eq("lx-kill-set-aside", sys_task_kill(T), 0);
	check_eq("lx-kill-set-aside-end", wait_end(T), KIT_TASK_KILLED);
	check_eq("lx-lreply-ended", lreply(T, KIT_MSGINFO(0, 0, 1), 1, 0), -ESRCH);
	sys_task_kill(T_CHILD);
	check_eq("lx-fork-child-end", wait_end(T_CHILD), KIT_TASK_KILLED);
	sys_cap_delete(T_CHILD);
	sys_cap_delete(T_RO);
	sys_cap_delete(T);
}

/* fpspec: the FP program's spec, its calls on ep. */
static struct kit_task_spec fpspec(unsigned long ep)
{
	struct kit_task_spec s = spec();

	s.elf = (unsigned long)&fpimg;
	s.elf_size = sizeof(fpimg);
	s.linux_ep = ep;
	return s;
}

/* fp_call3: the FP program's next call on ep, set aside: how many of its number, two registers
 * (v, ~v) and thread-pointer word (w) are wrong, each printed. */
static int fp_call3(const char *who, unsigned long ep, unsigned long v, unsigned long w)
{
	struct kit_msg m;
	const unsigned long want[] = {3, v, ~v, w};
	int bad = kit_recv(ep, &m) != KIT_RECV_MESSAGE || defer() != 0;

	for (int i = 0; i < 4; i++)
		if (m.mr[i] != want[i]) {
			printf("lxtest: FP program %s: call 3's word %d is %lx, want %lx\n", who, i,
			       m.mr[i], want[i]);
			bad++;
		}
	return bad;
}

/* fp_state: two FP programs (A on EP, B on EP_B) with their own register values and thread
 * pointers (A's word at KIT_LINUX_HEAP_BASE, B's 8 bytes on; the other slot holds a wrong
 * one), both running at once for FP_ROUNDS rounds, then a fork child of A (its own heap word
 * at A's thread pointer). */
static void fp_state(void)
{
	const unsigned long va = 0x3ff0000000000001UL, vb = 0xc00123456789abcdUL;
	const unsigned long wa[2] = {0xa0a0, 0xbad}, wb[2] = {0xbad, 0xb0b0}, wc = 0xc0c0;
	struct kit_task_spec sa = fpspec(EP), sb = fpspec(EP_B), sc = fpspec(EP);
	struct kit_msg m;
	int bad = 0;

	if (sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_ENDPOINT, 0, EP_B, 1) < 0)
		printf("lxtest: no second endpoint\n");
	check_eq("lx-fp-create-a", create(&sa, sizeof(sa)), 0);
	sys_cap_delete(T_B);
	check_eq("lx-fp-create-b",
		 kit_syscall(SYS_TASK_CREATE, (long)&sb, sizeof(sb), T_B, 0, 0, 0), 0);
	mem(SYS_TASK_MEM_WRITE, T, (void *)wa, KIT_LINUX_HEAP_BASE, sizeof(wa));
	mem(SYS_TASK_MEM_WRITE, T_B, (void *)wb, KIT_LINUX_HEAP_BASE, sizeof(wb));
	expect("lx-fp-a-call2", &m, 2, 0);
	m.info = KIT_MSGINFO(KIT_LINUX_REPLY_TLS, 0, 2), m.mr[0] = va,
	m.mr[1] = KIT_LINUX_HEAP_BASE;
	kit_reply(&m);
	check_eq("lx-fp-b-call2", kit_recv(EP_B, &m), KIT_RECV_MESSAGE);
	m.info = KIT_MSGINFO(KIT_LINUX_REPLY_TLS, 0, 2), m.mr[0] = vb;
	m.mr[1] = KIT_LINUX_HEAP_BASE + 8;
	kit_reply(&m);
	for (int i = 0; i < FP_ROUNDS; i++) { /* both set aside, then both answered: both run */
		bad += fp_call3("A", EP, va, wa[0]);
		bad += fp_call3("B", EP_B, vb, wb[1]);
		bad += lreply(T, KIT_MSGINFO(0, 0, 1), 0, 0) != 0;
		bad += lreply(T_B, KIT_MSGINFO(0, 0, 1), 0, 0) != 0;
	}
	check_eq("lx-fp-regs-tls", bad, 0);
	bad = fp_call3("A", EP, va, wa[0]); /* fork at A's call 3: the child on EP */
	sc.regs_task = T;
	sys_cap_delete(T_CHILD);
	check_eq("lx-fp-fork",
		 kit_syscall(SYS_TASK_CREATE, (long)&sc, sizeof(sc), T_CHILD, 0, 0, 0), 0);
	mem(SYS_TASK_MEM_WRITE, T_CHILD, (void *)&wc, KIT_LINUX_HEAP_BASE, sizeof(wc));
	bad += lreply(T_CHILD, KIT_MSGINFO(0, 0, 1), 0, 0) != 0; /* the child's fork returns 0 */
	bad += fp_call3("child", EP, va, wc);
	check_eq("lx-fp-fork-regs-tls", bad, 0);
	sys_task_kill(T_CHILD);
	sys_task_kill(T_B);
	sys_task_kill(T);
	check_eq("lx-fp-child-end", wait_end(T_CHILD), KIT_TASK_KILLED);
	check_eq("lx-fp-b-end", wait_end(T_B), KIT_TASK_KILLED);
	check_eq("lx-fp-a-end", wait_end(T), KIT_TASK_KILLED);
	sys_cap_delete(T_CHILD);
	sys_cap_delete(T_B);
	sys_cap_delete(T);
}

int main(void)
{
	check_suite = "lx";
	image_init();
	if (sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_ENDPOINT, 0, EP, 1) < 0 ||
	    sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_NOTIFICATION, 0, NTFN, 1) < 0)
		printf("lxtest: no endpoint\n");
#ifdef LX_NO_PORT
	const bool ported = false;
	printf("lxtest: no port of the first test program to this arch yet: FP checks only\n");
#else
	const bool ported = true;
#endif
	timers();
	if (ported) {
		bad_specs();
		forwarding();
		deferring();
	}
	fp_state();
	return check_done();
}
