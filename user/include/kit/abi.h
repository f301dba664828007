/*
 * kit/abi.h: the kernel ABI, in one place, shared by the kernel (which
 * includes it as "kit/abi.h") and user programs: system-call numbers and
 * registers, the structures the kernel copies in and out, the message
 * layout, capability types and rights. Error codes are kit/errno.h's.
 * Labs 5-7 build on it: numbers and layouts only ever grow.
 *
 * A system call (lab 4, handout/lab4-ipc.md "The system-call ABI"):
 *   riscv64: ecall with the number in a7, arguments in a0..a5,
 *            the result in a0;
 *   x86_64:  syscall with the number in rax, arguments in rdi, rsi, rdx,
 *            r10, r8, r9 (the Linux order: rcx and r11 are clobbered by
 *            the instruction), the result in rax;
 *   aarch64: svc #0 with the number in x8, arguments in x0..x5, the
 *            result in x0 (the Linux convention).
 * The result is >= 0 on success, a negative -E* code on failure. Every
 * other register is preserved, except by the IPC calls (SYS_SEND through
 * SYS_POLL, 16..25), which keep only what a C function keeps and may
 * change the rest, as a C call does (the fastpath then saves and loads
 * only the kept ones, handout/lab4-ipc.md "The system-call ABI"):
 *   riscv64: keep ra, sp, gp, tp, s0..s11; clobber t0..t6, a0..a7;
 *   x86_64:  keep rbx, rbp, r12..r15, rsp; clobber rax, rcx, rdx, rsi,
 *            rdi, r8..r11;
 *   aarch64: keep x19..x30, sp; clobber x0..x18.
 * The registers an IPC call returns a message in (below) are among the
 * clobbered ones; the others come back 0 or as they were, never with
 * another thread's or the kernel's values. A bad number is -ENOSYS; a bad pointer
 * (unmapped, not the task's, not writable where the kernel writes, or a
 * range crossing the end of user space) is -EFAULT; a bad length or value
 * is -EINVAL. The kernel never panics on what a user program passes.
 */
#pragma once

#include "errno.h"

/* -- system-call numbers ------------------------------------------------------------------ */

/* Part A: the basics. */
#define SYS_NULL       0 /* (): 0. The cheapest way in and out of the kernel. */
#define SYS_DEBUG_PUTS 1 /* (const char *buf, size_t len): print len bytes on the console; len */
#define SYS_EXIT       2 /* (long code): end the calling task; never returns */
#define SYS_YIELD      3 /* (): give up the CPU; 0 */
#define SYS_TASK_INFO  4 /* (struct kit_task_info *out, size_t len): fill *out; 0 */
/* Part B: capabilities. A slot is an index into the caller's cspace: -EINVAL when out of
 * range, -ENOENT when a source slot is empty, -EEXIST when a destination slot is not. */
#define SYS_CAP_IDENTIFY 8 /* (slot, struct kit_cap_info *out): what slot holds; 0 */
#define SYS_CAP_COPY                                                                               \
	9 /* (dest, src, rights): a copy with src's rights & rights, a child of
			     * src; -EINVAL for rights outside KIT_RIGHTS_ALL or an untyped src */
#define SYS_CAP_MINT                                                                               \
	10		  /* (dest, src, rights, badge): a copy with a badge (not 0; -EINVAL)
			     * of an unbadged endpoint or notification (-EPERM: already badged) */
#define SYS_CAP_MOVE   11 /* (dest, src): src's capability to dest, src empty afterwards */
#define SYS_CAP_DELETE 12 /* (slot): empty it; its children become its parent's */
#define SYS_CAP_REVOKE 13 /* (slot): delete every capability derived from it (it stays) */
#define SYS_RETYPE                                                                                 \
	14 /* (untyped slot, type, size bits, dest slot, count): count objects
			     * into slots dest..dest+count-1; -EINVAL for a bad type, size or
			     * count (1..KIT_RETYPE_MAX), -ENOMEM when the untyped is used up */
/*
 * Part C: IPC. Message calls take (slot, msginfo, mr0, mr1, mr2, mr3) in
 * the argument registers; the calls that receive return the result (0 a
 * message, KIT_RECV_NOTIFICATION a bound notification's bits) in the
 * result register and the message in the registers of arguments 1..5
 * (msginfo, mr0..mr3) and the badge in a sixth (riscv64 a6, x86_64 rdi, aarch64 x6).
 * MRs from KIT_MSG_REG_MRS on travel in the IPC buffers. Errors: -EINVAL
 * (a bad slot, a capability of the wrong type, a length over
 * KIT_MSG_MAX_MRS), -EPERM (send without write, receive without read, a
 * capability transfer without grant), -EAGAIN (NB*: nobody waiting), -EPIPE
 * (the object went away while waiting), -ENOENT (Reply without a caller).
 */
#define SYS_SEND       16 /* (ep, msginfo, mr0..mr3): 0 */
#define SYS_NBSEND     17 /* (ep, msginfo, mr0..mr3): 0 or -EAGAIN, never blocks */
#define SYS_CALL       18 /* (ep, msginfo, mr0..mr3): send, then wait for the reply */
#define SYS_RECV       19 /* (ep): wait for a message (or a bound notification) */
#define SYS_NBRECV     20 /* (ep): a message waiting, or -EAGAIN */
#define SYS_REPLY      21 /* (0, msginfo, mr0..mr3): answer the last Call received, once */
#define SYS_REPLY_RECV 22 /* (ep, msginfo, mr0..mr3): Reply, then Recv on ep */
#define SYS_SIGNAL     23 /* (notification): OR the capability's badge (0: 1) into its word */
#define SYS_WAIT       24 /* (notification): wait until the word is not 0; it comes as the badge */
#define SYS_POLL       25 /* (notification): the word now (maybe 0), never blocks */
/* Threads (part C). */
#define SYS_TCB_START                                                                              \
	26		     /* (tcb, pc, sp, ipc buffer page, arg): run a retyped TCB in the
			     * caller's address space and cspace; -EBUSY started, -EEXIST the
			     * buffer's page is mapped, -EAGAIN too many threads */
#define SYS_TCB_SET_FAULT 27 /* (tcb, ep or 0): its faults become messages to ep (write) */
#define SYS_TCB_BIND	  28 /* (tcb, notification or 0): bind (read right) or unbind; -EBUSY */
/* Tasks and counters (part D). */
#define SYS_TASK_SPAWN                                                                             \
	29		 /* (name, len, slot or 0, arg): boot module name (len 1..15 bytes) as a
			   * new task, a child of the caller's (ended with it), its cspace holding
			   * a copy of the caller's slot at KIT_SLOT_ARG; 0; -ENOENT no such
			   * module or an empty slot, -EINVAL, -EFAULT, -EAGAIN (8 children) */
#define SYS_IPC_STATS 30 /* (struct kit_ipc_stats *out, len): the kernel's IPC counters */
/* Frames (part B): a page retyped from untyped (KIT_CAP_FRAME), shared by mapping it. */
#define SYS_FRAME_MAP                                                                              \
	31		   /* (frame, va, rights): map it at page va of the caller's address
			    * space, readable, writable when rights and the capability have
			    * write, never executable; -EINVAL (not a frame, va unaligned or
			    * outside user space), -EBUSY (this capability is mapped already),
			    * -EEXIST (va is mapped) */
#define SYS_FRAME_UNMAP 32 /* (frame): undo this capability's mapping; -ENOENT when none */
/*
 * Devices (provided; lab 5's user-space drivers). An interrupt line is
 * claimed from the IRQ control capability as an IRQ handler capability
 * (seL4's IRQControl and IRQHandler). Each interrupt on the line masks it
 * and signals the handler's notification; the driver quiets its device and
 * acknowledges, which unmasks the line. A device's registers come as a
 * frame (memory-mapped: map it with SYS_FRAME_MAP) or as an I/O port
 * capability (x86_64 port I/O through the kernel, seL4's IOPort).
 */
#define SYS_IRQ_GET                                                                                \
	33 /* (irq control, irq, dest): a handler capability for line irq into
	    * empty dest; -EINVAL (not an IRQ control capability, irq out of range,
	    * a bad slot), -EEXIST (dest full), -EBUSY (the line has a handler: the
	    * kernel's, or another capability's) */
#define SYS_IRQ_SET_NOTIFICATION                                                                   \
	34 /* (irq handler, notification or 0): each interrupt signals it with
	    * its capability's badge (0: 1; write right, else -EPERM), or nobody */
#define SYS_IRQ_ACK                                                                                \
	35 /* (irq handler): the device dropped its request: the line, masked
	    * since its last interrupt, may interrupt again; -ENOENT when the
	    * handler has no notification */
/* SYS_IOPORT_IN (I/O ports, port, size 1, 2 or 4): the value read (read right); -EINVAL for a
 * port range outside the capability's or a bad size. SYS_IOPORT_OUT (I/O ports, port, value,
 * size): write it (write right); 0. Both -ENOSYS on an arch without I/O ports (riscv64,
 * aarch64: every device is memory-mapped). */
#define SYS_IOPORT_IN  36
#define SYS_IOPORT_OUT 37
/* SYS_CNODE_GUARD (dest, src, guard, guard_bits): a copy of CNode capability src into empty
 * dest with that guard (the bits a path must carry before its index, below); -EINVAL (not a
 * CNode, guard_bits over 48, a guard of more bits), then SYS_CAP_COPY's errors. */
#define SYS_CNODE_GUARD 38
/* SYS_DEVICE_GET (IRQ control, index, dest or 0, struct kit_device_info *out): describe the
 * board's device index (0: the console UART) in *out and, when dest is not 0, put a capability
 * for its registers into empty dest (a frame of its register page, or I/O ports); 0; -ENOENT
 * past the last device, -EINVAL (not an IRQ control capability, a bad slot), -EEXIST (dest
 * full), -EFAULT. Its interrupt is claimed with SYS_IRQ_GET (kit_device_info.irq). */
#define SYS_DEVICE_GET 39
/* SYS_FRAME_ADDR (frame): the physical address of the frame's page, which a device's DMA
 * uses (seL4's Page_GetAddress); -EINVAL when not a frame. The frames of one SYS_RETYPE are
 * consecutive in physical memory. */
#define SYS_FRAME_ADDR 40
/*
 * Tasks (provided, lab 5: common/lab4/taskobj.c): a task made from an ELF image or a boot
 * module, named by a task capability (KIT_CAP_TASK) whose holder can kill it, learn how it
 * ended and give it capabilities; it is not the caller's child (SYS_TASK_SPAWN's): it lives
 * until it ends or its last task capability is deleted (which kills it). No limit but the
 * kernel's memory and its threads (256 in all).
 *
 * SYS_TASK_CREATE (const struct kit_task_spec *spec, size_t len, dest): a new task as *spec
 * says (len: sizeof(struct kit_task_spec), or the older KIT_TASK_SPEC_LAB5_LEN or
 * KIT_TASK_SPEC_LAB6_LEN: the fields past it 0), running at once; a task capability for it (all
 * rights) into empty dest. 0; -EINVAL (len, a name of 0 or over 15 bytes, ncaps over
 * KIT_TASK_CAPS_MAX, a bad slot, a capability of the wrong type, a cap's dest not in
 * KIT_SLOT_ARG..255 or twice, an untyped to copy, elf_task not a task capability), -ENOENT
 * (a source slot empty; with elf 0, no boot module of that name), -EEXIST (dest full), -EPERM
 * (the fault endpoint or the exit notification without write right, elf_task without read),
 * -ESRCH (elf_task's task has ended), -EFAULT (spec or the image not readable: unmapped, not
 * user memory, or a device's registers), -E2BIG (an image over KIT_TASK_ELF_MAX bytes),
 * -ENOEXEC (not an ELF64 executable for this arch, or
 * one whose segments do not load: outside user space, overlapping each other, the stack or
 * the IPC buffer, W+X, beyond the image's bytes), -ENOMEM. Nothing is left on an error.
 */
#define SYS_TASK_CREATE 41
/* SYS_TASK_KILL (task): end it as its holder's decision (kit_task_status KIT_TASK_KILLED):
 * its threads leave at their next way out of the kernel, a blocked one at once. 0; -EINVAL
 * (not a task capability), -EPERM (no write right), -ESRCH (it has ended already). */
#define SYS_TASK_KILL 42
/* SYS_TASK_STATUS (task, struct kit_task_status *out, size_t len): how it is, into *out
 * (len: at least sizeof); 0 when it has ended (its memory is given back now), -EBUSY while
 * it runs (*out filled too: state KIT_TASK_RUNNING, its tid); -EINVAL, -EPERM (no read
 * right), -EFAULT. */
#define SYS_TASK_STATUS 43
/* SYS_TASK_CAP_COPY (task, dest, src, rights, badge): a copy of the caller's src into empty
 * slot dest of the task's cspace, with src's rights & rights, and with badge (not 0) a mint
 * (SYS_CAP_MINT's rules), a child of src: how a name service hands a client an endpoint (a
 * Reply carries no capability). 0; -EINVAL (not a task capability, bad slots or rights),
 * -EPERM (no grant right on the task capability; a badge on a badged capability), -ENOENT
 * (src empty), -EEXIST (dest full), -ESRCH (the task has ended). */
#define SYS_TASK_CAP_COPY 44
/* Lab 6: a Linux server reaches its client's memory (ptrace's PEEKDATA/POKEDATA in bulk).
 * SYS_TASK_MEM_READ (task, void *dst, addr, len): len bytes at addr of the task's memory into
 * the caller's dst (read right on the task capability); SYS_TASK_MEM_WRITE (task, const void
 * *src, addr, len): the caller's len bytes at src to the task's addr (write right), each page
 * of the task's mapped for user mode, RAM, and writable. len at most KIT_TASK_MEM_MAX bytes.
 * 0; -EINVAL (not a task capability, len too big), -EPERM (the right), -ESRCH (it has ended),
 * -EFAULT (either side not mapped so; bytes before the fault may have been copied). */
#define SYS_TASK_MEM_READ  45
#define SYS_TASK_MEM_WRITE 46
/* Lab 6: a Linux server answers a forwarded call later (wait4, a read of an empty pipe,
 * nanosleep) and serves other calls meanwhile.
 * SYS_LINUX_DEFER (): the caller's caller (the Call SYS_REPLY would answer), which must be a
 * Linux-ABI task's root thread waiting for the reply to a forwarded system call, is set
 * aside: it stays blocked, SYS_REPLY no longer reaches it (the caller may receive the next
 * call), and only SYS_LINUX_REPLY answers it. 0; -ENOENT (no caller: none, or answered),
 * -EINVAL (the caller is not a Linux-ABI task waiting on a forwarded call).
 * SYS_LINUX_REPLY (task, msginfo, mr0, mr1): answer the task's set-aside call as SYS_REPLY
 * would have answered it (KIT_LABEL_LINUX_SYSCALL below: MR 0 the result, 0 MRs -ENOSYS,
 * KIT_LINUX_REPLY_TLS with 2 MRs the thread pointer), once; write right on the task
 * capability. 0; -EINVAL (not a task capability, a length over KIT_MSG_MAX_MRS), -EPERM (no
 * write right), -ESRCH (the task has ended), -ENOENT (no call set aside). A task killed while
 * set aside ends as any killed task does (SYS_TASK_KILL, its last task capability deleted). */
#define SYS_LINUX_DEFER 47
#define SYS_LINUX_REPLY 48
/* Lab 6: a server that sleeps in Recv (linuxd's nanosleep) is woken at a time.
 * SYS_TIMER_SIGNAL (notification, deadline_ns): the caller's one timer. notification 0: nothing
 * changes. Else a notification capability (write right): any timer the calling thread had
 * pending is replaced by one that signals it, with the capability's badge (0: 1, as
 * SYS_SIGNAL), when the kernel's clock reaches deadline_ns (at once when it has; never for
 * KIT_TIME_NEVER, which only cancels). The clock is the kernel's arch_time_ns, in ns since
 * boot: QEMU's virtual clock, where under -icount shift=0 one instruction is 1 ns and idle
 * time counts too (riscv64's time CSR, x86_64's TSC; kit_cycles reads the same virtual clock
 * under icount, up to a constant). The signal comes within about a microsecond of the
 * deadline (the thread that waits runs when the scheduler picks it), later only when
 * several timers were rearmed earlier and earlier at once (at most 100 ms; common/lab4/
 * utimer.c). Returns the clock's time now (ns, >= 0); -EINVAL (a bad slot, not a
 * notification), -EPERM (no write right), -ENOMEM (the kernel could not start its timer
 * thread); nothing changes on an error. A thread's timer goes with it. */
#define SYS_TIMER_SIGNAL 49
#define KIT_TIME_NEVER	 (~0UL)
#define SYS_COUNT	 50 /* one past the last number */
#define KIT_TASK_MEM_MAX 4096UL

#ifndef __ASSEMBLY__
/* SYS_DEBUG_PUTS prints at most this many bytes per call (more is -EINVAL). */
#define KIT_DEBUG_PUTS_MAX 256

/* What SYS_TASK_INFO fills; len must be at least sizeof (else -EINVAL). */
struct kit_task_info {
	unsigned long tid;	  /* the calling thread's id */
	unsigned long entry;	  /* the program's entry point */
	unsigned long stack_top;  /* the top of its stack (one past the highest byte) */
	unsigned long ipc_buffer; /* the root thread's IPC buffer page (KIT_IPC_BUFFER_ROOT) */
	char name[16];		  /* the task's name (its boot module), NUL-terminated */
};

/* What SYS_DEVICE_GET fills. */
struct kit_device_info {
	char name[16];	      /* "uart", "virtio-blk", NUL-terminated */
	unsigned long irq;    /* its interrupt line for SYS_IRQ_GET, 0: none */
	unsigned long mmio;   /* the physical address of its register page, or 0 */
	unsigned long port;   /* its first I/O port, or 0 */
	unsigned long nports; /* how many I/O ports, or 0 */
};

/* SYS_TASK_CREATE's request: the image (elf and elf_size, or elf 0 for boot module name),
 * the task's name, its argument (kit_start_arg), where its faults go, whom its end signals,
 * and the capabilities it starts with (its KIT_SLOT_CNODE, _TCB, _UNTYPED as a root task's,
 * no devices). */
#define KIT_TASK_CAPS_MAX 8
#define KIT_TASK_ELF_MAX  (1UL << 20) /* bytes of an image in the caller's memory */
struct kit_task_cap {
	unsigned long src;  /* a slot of the caller's cspace (copied with all its rights) */
	unsigned long dest; /* a slot of the new task's, KIT_SLOT_ARG..255 */
};
struct kit_task_spec {
	unsigned long elf;	  /* the ELF image's address in the caller's memory, or 0 */
	unsigned long elf_size;	  /* its bytes */
	unsigned long elf_task;	  /* 0, or a task capability slot (read right): the image is in
				 * that task's memory (a name service starting what its client
				 * read from a file) */
	char name[16];		  /* NUL-terminated: the task's name; with elf 0 its boot module */
	unsigned long arg;	  /* its start argument (a0 / rdi at entry: crt0's kit_start_arg) */
	unsigned long fault_ep;	  /* an endpoint slot (write right), or 0: each fault of its root
				 * thread is a fault message there (KIT_LABEL_FAULT, the
				 * capability's badge), then the task ends (KIT_TASK_FAULTED) */
	unsigned long exit_ntfn;  /* a notification slot (write right), or 0: signalled with */
	unsigned long exit_badge; /* this badge (0: 1) when the task ends, however it ends */
	unsigned long ncaps;	  /* caps[0..ncaps) are copied in before it runs */
	struct kit_task_cap caps[KIT_TASK_CAPS_MAX];
	/* Lab 6 (handout/lab6-linux.md). A spec of the lab-5 length (KIT_TASK_SPEC_LAB5_LEN) has
	 * these 0. Each is optional; a Linux program's launcher sets all four. */
	unsigned long linux_ep; /* an endpoint slot (write right), or 0: the task is a Linux-ABI
				 * task, each of its system calls a Call there (KIT_LABEL_LINUX_
				 * SYSCALL); then ncaps must be 0 (-EINVAL): it holds no endpoint */
	unsigned long stack;	/* 0, or the address in the caller's memory of an initial stack
				 * image: copied to end at KIT_LINUX_STACK_TOP, and the task starts
				 * with sp at its first byte (KIT_LINUX_STACK_TOP - stack_size) */
	unsigned long
	    stack_size; /* its bytes: a multiple of 16, 16..KIT_LINUX_STACK_MAX (-EINVAL) */
	unsigned long heap_pages; /* new zeroed pages mapped at KIT_LINUX_HEAP_BASE (read, write),
				 * 0..KIT_LINUX_HEAP_MAX (-EINVAL): the memory its brk and mmap get */
	/* Lab 6's fork. A spec of KIT_TASK_SPEC_LAB6_LEN bytes has it 0. */
	unsigned long regs_task; /* 0, or a task capability slot (read right; -EPERM) of a
				  * Linux-ABI task whose root thread waits for the reply to a
				  * forwarded call (set aside by SYS_LINUX_DEFER, or the caller's
				  * own caller): the new task's root thread starts with a copy of
				  * that thread's user registers (the pc past the system call,
				  * sp, every general register, the thread pointer), fork's
				  * child; -EINVAL when it is not such a task (ended, or not
				  * waiting so). Its memory is made as for any task: the caller
				  * copies the rest (SYS_TASK_MEM_WRITE) while the child waits in
				  * that call, set aside, until SYS_LINUX_REPLY answers it (0,
				  * fork's result in the child) */
};
#define KIT_TASK_SPEC_LAB5_LEN __builtin_offsetof(struct kit_task_spec, linux_ep)
#define KIT_TASK_SPEC_LAB6_LEN __builtin_offsetof(struct kit_task_spec, regs_task)

/*
 * Lab 6: Linux-ABI tasks (handout/lab6-linux.md). A system call of a task
 * created with linux_ep (riscv64 ecall, number in a7, arguments a0..a5;
 * x86_64 syscall, number in rax, arguments rdi, rsi, rdx, r10, r8, r9: the
 * Linux ABI, man 2 syscall) never reaches the kit's dispatcher: the kernel
 * makes it a Call on linux_ep with label KIT_LABEL_LINUX_SYSCALL, the badge
 * of linux_ep's capability, and 7 MRs: the number, then arguments 0..5
 * (MRs 4..6 travel in the task's IPC buffer, KIT_IPC_BUFFER_ROOT). The
 * server's Reply (any label, at least 1 MR) puts MR 0 in the result register
 * (riscv64 a0, x86_64 rax; rcx and r11 are clobbered by syscall/sysret, as
 * on Linux); every other register is kept. A Reply of 0 MRs is -ENOSYS. A
 * Reply labelled KIT_LINUX_REPLY_TLS with 2 MRs also sets the thread pointer
 * to MR 1 (x86_64 the FS base: arch_prctl(ARCH_SET_FS); riscv64 tp). The
 * server reads and writes the task's memory with SYS_TASK_MEM_READ/WRITE.
 * It answers with SYS_REPLY, never SYS_REPLY_RECV: lab 4's fastpath takes a
 * ReplyRecv to a blocked caller straight into the caller's registers as an
 * IPC result (a0/rax 0, the tag and MRs in the next ones), which a Linux
 * program would take for its system call's result.
 * When the Call fails (the endpoint deleted, -EPIPE) the task is killed
 * with a kernel console line and ends as KIT_TASK_FAULTED; a server ends a
 * task (exit_group) with SYS_TASK_KILL. The task's own memory map: the ELF
 * image, the heap window, the IPC buffer page, the stack below
 * KIT_LINUX_STACK_TOP (KIT_LINUX_STACK_PAGES pages).
 */
#define KIT_LABEL_LINUX_SYSCALL 0x11a0
#define KIT_LINUX_SYSCALL_MRS	7
#define KIT_LINUX_REPLY_TLS	1	     /* a reply's label: MR 1 is the new thread pointer */
#define KIT_LINUX_STACK_TOP	0x40000000UL /* = the kit's stack top (kernel task.h) */
#define KIT_LINUX_STACK_PAGES	4
#define KIT_LINUX_STACK_MAX	4096UL /* bytes of an initial stack image */
#define KIT_LINUX_HEAP_BASE	0x20000000UL
#define KIT_LINUX_HEAP_MAX	1024UL /* pages (4 MiB) */

/* What SYS_TASK_STATUS fills. */
#define KIT_TASK_RUNNING 0
#define KIT_TASK_EXITED	 1 /* it called SYS_EXIT (or returned from main): code */
#define KIT_TASK_FAULTED 2 /* a fault of its root thread ended it: fault_pc, fault_addr */
#define KIT_TASK_KILLED	 3 /* SYS_TASK_KILL, or its last task capability was deleted */
struct kit_task_status {
	unsigned long state;	  /* KIT_TASK_* */
	long code;		  /* KIT_TASK_EXITED: its exit code */
	unsigned long tid;	  /* its root thread's id (what SYS_TASK_INFO says to it) */
	unsigned long fault_pc;	  /* KIT_TASK_FAULTED: the faulting instruction */
	unsigned long fault_addr; /* and the address it touched (0: none) */
};

/* -- messages (part C) ---------------------------------------------------------------------- */

/* A message: a label, a length in message registers (MRs) and at most one capability. The
 * first KIT_MSG_REG_MRS MRs travel in CPU registers, the rest in the IPC buffer. */
#define KIT_MSG_MAX_MRS 64
#define KIT_MSG_REG_MRS 4

/* msginfo: label << 12 | caps << 7 | length (MRs) (seL4's message tag, one word). */
#define KIT_MSGINFO(label, caps, len) ((unsigned long)(label) << 12 | (caps) << 7 | (len))
#define KIT_MSGINFO_LABEL(mi)	      ((unsigned long)(mi) >> 12)
#define KIT_MSGINFO_CAPS(mi)	      (((unsigned long)(mi) >> 7) & 1)
#define KIT_MSGINFO_LEN(mi)	      ((unsigned long)(mi)&0x7f)

/* What SYS_RECV returns besides errors. */
#define KIT_RECV_MESSAGE      0
#define KIT_RECV_NOTIFICATION 1 /* a bound notification's bits, as the badge */

/* A fault message (to a thread's fault endpoint): label KIT_LABEL_FAULT, 3 MRs: the kind,
 * the pc, the faulting address; the badge is the fault endpoint capability's. */
#define KIT_LABEL_FAULT	 0xfa17
#define KIT_FAULT_MEMORY 1 /* a page or access fault */
#define KIT_FAULT_OTHER	 2 /* any other exception */

/* The kernel's IPC counters (SYS_IPC_STATS): fastpath hits, slowpath Calls and ReplyRecvs,
 * and why the fastpath passed each one on (KIT_FP_MISS_*); and the last device interrupt. */
#define KIT_FP_MISS_CAP	    0 /* the capability: a bad slot, not an endpoint, a missing right */
#define KIT_FP_MISS_MSG	    1 /* the message: longer than the registers, or a capability */
#define KIT_FP_MISS_PARTNER 2 /* nobody waiting on the other side (or a sender already queued) */
#define KIT_FP_MISS_STATE                                                                          \
	3 /* the other side cannot take it now (ending, not blocked,
			       * a notification pending), or the fastpath is off */
#define KIT_FP_MISSES 4
struct kit_ipc_stats {
	unsigned long fast_call, fast_reply_recv; /* done on the fastpath */
	unsigned long slow_call, slow_reply_recv; /* done on the slowpath */
	unsigned long miss[KIT_FP_MISSES];	  /* fastpath misses by reason */
	/* The last device interrupt: its line, and the instruction counter (kit_cycles) when the
	 * kernel's interrupt dispatch began (common/irq.c irq_dispatch; lab 5's echo latency). */
	unsigned long irq_line, irq_cycles;
};

/* The root thread's IPC buffer (a TCB started with SYS_TCB_START: where it says). */
#define KIT_IPC_BUFFER_ROOT 0x3ff00000UL

/* The IPC buffer: one page per thread, mapped by the kernel. */
struct kit_ipc_buffer {
	unsigned long tag; /* msginfo of the last message */
	unsigned long
	    mr[KIT_MSG_MAX_MRS]; /* message registers (the first KIT_MSG_REG_MRS unused) */
	unsigned long cap_slot;	 /* send: the slot of the capability to transfer */
	unsigned long recv_slot; /* receive: the empty slot a transferred capability goes to */
	unsigned long badge;	 /* receive: the sender's badge */
};

/* -- capabilities (part B) ------------------------------------------------------------------ */

enum kit_cap_type {
	KIT_CAP_NULL,	      /* an empty slot */
	KIT_CAP_UNTYPED,      /* free memory that retype turns into objects */
	KIT_CAP_TCB,	      /* a thread */
	KIT_CAP_ENDPOINT,     /* a rendezvous for messages */
	KIT_CAP_NOTIFICATION, /* a word of signal bits */
	KIT_CAP_CNODE,	      /* 2^k capability slots */
	KIT_CAP_FRAME,	      /* a page, mappable into an address space (size 4 KiB) */
	KIT_CAP_REPLY,	      /* the one-shot right to answer a Call */
	KIT_CAP_IRQ_CONTROL,  /* the right to claim interrupt lines (SYS_IRQ_GET) */
	KIT_CAP_IRQ_HANDLER, /* one interrupt line (its number: the badge SYS_CAP_IDENTIFY shows) */
	KIT_CAP_IO_PORT,     /* I/O ports (x86_64): badge the first, 2^size_bits of them */
	KIT_CAP_TASK, /* a task (SYS_TASK_CREATE): kill (write), status (read), give (grant) */
};

/* Rights (an endpoint: write to send, read to receive, grant to pass a capability along). */
#define KIT_RIGHT_READ	0x1
#define KIT_RIGHT_WRITE 0x2
#define KIT_RIGHT_GRANT 0x4
#define KIT_RIGHTS_ALL	0x7

/*
 * Capability addresses (cptrs). A slot argument is a path from the root
 * CNode, read from its low bits up: the low 8 bits index the root; while
 * the bits above are not all 0, the slot reached must hold a CNode
 * capability (else -EINVAL), whose guard (guard_bits bits, SYS_CNODE_GUARD;
 * 0 bits by default) the next bits must equal, and whose size_bits bits
 * after those index that CNode; and so on (seL4's guarded lookup, low bits
 * first so that a small number is a root slot). A CNode capability without
 * a guard cannot reach its slot 0 (no bits would be left): give it one.
 */
#define KIT_ROOT_CNODE_BITS 8
#define KIT_CPTR(slot, guard, guard_bits, index)                                                   \
	((unsigned long)(slot) | (unsigned long)(guard) << KIT_ROOT_CNODE_BITS |                   \
	 (unsigned long)(index) << (KIT_ROOT_CNODE_BITS + (guard_bits)))

/* The root task's cspace (a CNode of 256 slots) at its start: what the kernel made for it. */
#define KIT_SLOT_NULL	 0 /* always empty */
#define KIT_SLOT_CNODE	 1 /* its own cspace */
#define KIT_SLOT_TCB	 2 /* its thread */
#define KIT_SLOT_UNTYPED 3 /* 1 MiB of untyped memory */
#define KIT_SLOT_ARG	 4 /* a spawned task: the capability its parent gave (SYS_TASK_SPAWN) */
/* A task the monitor runs (not a spawned one) also holds the devices, as lab 5's root task
 * will (until lab 5's console server the kernel shares the console UART with it): 5 the IRQ
 * control capability, 6 the console UART's registers (riscv64 a frame, its page of ns16550a
 * registers; aarch64 a frame, the PL011's page; x86_64 I/O ports, COM1's 8 from 0x3f8), 7 an
 * IRQ handler for the console's line
 * (empty when it was busy). */
#define KIT_SLOT_IRQ_CONTROL 5
#define KIT_SLOT_CONSOLE     6
#define KIT_SLOT_CONSOLE_IRQ 7
#define KIT_SLOT_FIRST_FREE  8	/* the first slot that is empty at start; slots run to 255 */
#define KIT_RETYPE_MAX	     64 /* SYS_RETYPE makes at most this many objects per call */

/* What SYS_CAP_IDENTIFY fills. */
struct kit_cap_info {
	unsigned long type;	 /* enum kit_cap_type */
	unsigned long rights;	 /* KIT_RIGHT_* */
	unsigned long badge;	 /* IRQ handler: its line; I/O ports: the first; CNode: its guard */
	unsigned long size_bits; /* untyped, CNode, I/O ports: log2 of the size (bytes, slots,
				  * ports) */
};
#endif /* __ASSEMBLY__ */
