/*
 * tasktest.c: lab 5's task system calls (kit/abi.h SYS_TASK_CREATE ..
 * SYS_TASK_CAP_COPY) against their documented errors, run from the
 * monitor (`run tasktest`): a task from an ELF image built here in memory
 * (exit 42) and from another task's memory (elf_task), a bad image of each
 * kind (-ENOEXEC, -E2BIG, -EFAULT), bad
 * specs and slots, a boot module's exit status and argument (exit3), a
 * fault (crash: the fault message at the fault endpoint with its badge,
 * then KIT_TASK_FAULTED), a kill, SYS_TASK_CAP_COPY, a running task
 * killed by the delete of its last capability, and 40 tasks one after the
 * other (no children limit; each reaped). Checks "task-*" in suite "task".
 */
#include "user.h"
#include "kit/elf.h"
#include "../lab4/check.h"

#define EP	 8  /* the fault endpoint's original */
#define EP_B	 9  /* a badged copy: what the spec names */
#define NTFN	 10 /* the exit notification */
#define T	 11 /* a task capability */
#define T_RO	 12 /* a copy with read right only */
#define SPARE	 13 /* an empty slot */
#define T_WO	 14 /* a copy with write right only */
#define BADGE	 0x55
#define ENTRY_VA 0x400000UL
#define LOOP	 12 /* the offset in code[] of a loop: a task that runs until killed */

#if defined(__riscv)
static const unsigned char code[] = {0x13, 0x05, 0xa0, 0x02,  /* li a0, 42 */
				     0x93, 0x08, 0x20, 0x00,  /* li a7, SYS_EXIT */
				     0x73, 0x00, 0x00, 0x00,  /* ecall */
				     0x6f, 0x00, 0x00, 0x00}; /* 1: j 1b */
#elif defined(__x86_64__)
static const unsigned char code[] = {0xbf, 0x2a, 0, 0, 0, /* mov $42, %edi */
				     0xb8, 0x02, 0, 0, 0, /* mov $SYS_EXIT, %eax */
				     0x0f, 0x05,	  /* syscall */
				     0xeb, 0xfe};	  /* 1: jmp 1b */
#else
static const unsigned char code[] = {0x40, 0x05, 0x80, 0xd2,  /* mov x0, #42 */
				     0x48, 0x00, 0x80, 0xd2,  /* mov x8, #SYS_EXIT */
				     0x01, 0x00, 0x00, 0xd4,  /* svc #0 */
				     0x00, 0x00, 0x00, 0x14}; /* 1: b 1b */
#endif

/* The image: a header, one R+X PT_LOAD of the whole image at ENTRY_VA, the code after. */
static struct {
	struct elf64_ehdr e;
	struct elf64_phdr p, p2; /* p2: PT_NULL (0), or a second segment */
	unsigned char code[sizeof(code)];
} img;

static void image_reset(void)
{
	check_elf_image(&img, sizeof(img), 2, ENTRY_VA, offsetof(typeof(img), code));
	memcpy(img.code, code, sizeof(code));
}

static struct kit_task_spec spec(const char *name)
{
	struct kit_task_spec s = {.elf = (unsigned long)&img, .elf_size = sizeof(img)};

	for (int i = 0; name[i] && i < 15; i++)
		s.name[i] = name[i];
	s.exit_ntfn = NTFN;
	s.exit_badge = 2;
	s.fault_ep = EP_B;
	return s;
}

/* create: SYS_TASK_CREATE of s into T (emptied first). */
static long create(const struct kit_task_spec *s)
{
	sys_cap_delete(T);
	return sys_task_create(s, T);
}

/* wait_end: wait for T's end (the exit notification, badge 2); its status. */
static struct kit_task_status wait_end(void)
{
	struct kit_task_status st;
	unsigned long word = 0;

	while (sys_task_status(T, &st) == -EBUSY)
		sys_wait(NTFN, &word);
	return st;
}

/* bad_image: the image after change, created: want its error. */
static void bad_image(const char *check, long want)
{
	struct kit_task_spec s = spec("bad");

	check_eq(check, create(&s), want);
	image_reset();
}

static void images(void)
{
	struct kit_task_spec s;

	img.e.ident[1] = 'X';
	bad_image("task-elf-magic", -ENOEXEC);
	img.e.machine = EM_THIS + 1;
	bad_image("task-elf-machine", -ENOEXEC);
	img.e.type = 3; /* ET_DYN */
	bad_image("task-elf-type", -ENOEXEC);
	img.e.phoff = sizeof(img) - 8;
	bad_image("task-elf-phdrs-outside", -ENOEXEC);
	img.e.phoff = 3;
	bad_image("task-elf-phdrs-misaligned", -ENOEXEC);
	img.p.filesz = img.p.memsz = 1UL << 20;
	bad_image("task-elf-segment-outside-image", -ENOEXEC);
	img.p.flags = 7;
	bad_image("task-elf-wx", -ENOEXEC);
	img.p.vaddr = ~0UL << 12;
	bad_image("task-elf-kernel-address", -ENOEXEC);
	img.p.vaddr = 0x40000000UL - 4096; /* over the stack (USER_STACK_TOP's pages) */
	bad_image("task-elf-over-stack", -ENOEXEC);
	img.p2 = img.p;
	img.p2.flags = 6; /* R+W, on the same page */
	bad_image("task-elf-overlap", -ENOEXEC);
	img.p.type = 4; /* PT_NOTE: nothing to load */
	bad_image("task-elf-no-load", -ENOEXEC);
	s = spec("bad");
	s.elf_size = 10;
	check_eq("task-elf-truncated", create(&s), -ENOEXEC);
	s.elf_size = KIT_TASK_ELF_MAX + 1;
	check_eq("task-elf-too-big", create(&s), -E2BIG);
	s.elf_size = sizeof(img);
	s.elf = 0x10;
	check_eq("task-elf-bad-pointer", create(&s), -EFAULT);
}

static void specs(void)
{
	struct kit_task_spec s = spec("bad");

	check_eq("task-spec-len", kit_syscall(SYS_TASK_CREATE, (long)&s, sizeof(s) - 4, T, 0, 0, 0),
		 -EINVAL);
	check_eq("task-spec-pointer", kit_syscall(SYS_TASK_CREATE, 0x10, sizeof(s), T, 0, 0, 0),
		 -EFAULT);
	check_eq("task-dest-full", sys_task_create(&s, KIT_SLOT_TCB), -EEXIST);
	check_eq("task-dest-range", sys_task_create(&s, 1UL << 20), -EINVAL);
	s.name[0] = 0;
	check_eq("task-name-empty", create(&s), -EINVAL);
	s = spec("bad");
	memset(s.name, 'a', sizeof(s.name));
	check_eq("task-name-long", create(&s), -EINVAL);
	s = spec("bad");
	s.ncaps = KIT_TASK_CAPS_MAX + 1;
	check_eq("task-caps-many", create(&s), -EINVAL);
	s.ncaps = 1;
	s.caps[0] = (struct kit_task_cap){EP, KIT_SLOT_UNTYPED};
	check_eq("task-caps-dest-taken", create(&s), -EINVAL);
	s.caps[0] = (struct kit_task_cap){EP, 256};
	check_eq("task-caps-dest-range", create(&s), -EINVAL);
	s.caps[0] = (struct kit_task_cap){SPARE, KIT_SLOT_ARG};
	check_eq("task-caps-src-empty", create(&s), -ENOENT);
	s.caps[0] = (struct kit_task_cap){KIT_SLOT_UNTYPED, KIT_SLOT_ARG};
	check_eq("task-caps-untyped", create(&s), -EINVAL);
	s.ncaps = 2;
	s.caps[0] = s.caps[1] = (struct kit_task_cap){EP, KIT_SLOT_ARG};
	check_eq("task-caps-dest-twice", create(&s), -EINVAL);
	s = spec("bad");
	s.fault_ep = NTFN;
	check_eq("task-fault-not-ep", create(&s), -EINVAL);
	s = spec("bad");
	s.exit_ntfn = EP;
	check_eq("task-exit-not-ntfn", create(&s), -EINVAL);
	s = spec("nosuchmodule");
	s.elf = 0;
	check_eq("task-module-missing", create(&s), -ENOENT);
	check_eq("task-kill-not-task", sys_task_kill(EP), -EINVAL);
	check_eq("task-number-past", kit_syscall(SYS_COUNT, 0, 0, 0, 0, 0, 0), -ENOSYS);
}

/* from_task: tasks from the image in T's memory (a spinning task: its image is at ENTRY_VA). */
static void from_task(void)
{
	struct kit_task_spec s = spec("fromtask");
	struct kit_task_status st;

	s.elf = ENTRY_VA;
	s.elf_task = T;
	check_eq("task-elf-task-create", sys_task_create(&s, SPARE), 0);
	check_eq("task-elf-task-kill", sys_task_kill(SPARE), 0);
	while (sys_task_status(SPARE, &st) == -EBUSY)
		sys_yield();
	check_eq("task-elf-task-killed", st.state, KIT_TASK_KILLED);
	sys_cap_delete(SPARE);
	s.elf = 0x10;
	check_eq("task-elf-task-unmapped", sys_task_create(&s, SPARE), -EFAULT);
	s.elf = ENTRY_VA;
	s.elf_task = EP;
	check_eq("task-elf-task-not-task", sys_task_create(&s, SPARE), -EINVAL);
	check_eq("task-copy-wo", sys_cap_copy(T_WO, T, KIT_RIGHT_WRITE), 0);
	s.elf_task = T_WO;
	check_eq("task-elf-task-no-read", sys_task_create(&s, SPARE), -EPERM);
	sys_cap_delete(T_WO);
}

int main(void)
{
	struct kit_task_spec s;
	struct kit_task_status st;
	struct kit_msg m = {0};

	check_suite = "task";
	check_eq("task-ep", sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_ENDPOINT, 0, EP, 1), 0);
	check_eq("task-ep-mint", sys_cap_mint(EP_B, EP, KIT_RIGHT_WRITE, BADGE), 0);
	check_eq("task-ntfn", sys_retype(KIT_SLOT_UNTYPED, KIT_CAP_NOTIFICATION, 0, NTFN, 1), 0);
	/* SYS_IRQ_ACK (exercise 10) takes an IRQ handler capability only */
	check_eq("irq-ack-empty", sys_irq_ack(SPARE), -EINVAL);
	check_eq("irq-ack-endpoint", sys_irq_ack(EP), -EINVAL);
	check_eq("irq-ack-notification", sys_irq_ack(NTFN), -EINVAL);
	image_reset();

	s = spec("tiny");
	check_eq("task-elf-create", create(&s), 0);
	st = wait_end();
	check_eq("task-elf-exited", st.state, KIT_TASK_EXITED);
	check_eq("task-elf-code", st.code, 42);
	check_eq("task-status-again", sys_task_status(T, &st), 0);
	check_eq("task-kill-ended", sys_task_kill(T), -ESRCH);
	check_eq("task-cap-copy-ended", sys_task_cap_copy(T, KIT_SLOT_ARG, EP, KIT_RIGHTS_ALL, 0),
		 -ESRCH);
	images();
	specs();

	s = spec("exit3");
	s.elf = 0;
	s.arg = 7;
	check_eq("task-module-create", create(&s), 0);
	st = wait_end();
	check_eq("task-module-code", st.code, 7);

	s = spec("crash");
	s.elf = 0;
	check_eq("task-fault-create", create(&s), 0);
	check_eq("task-fault-message", kit_recv(EP, &m), 0);
	check_eq("task-fault-label", KIT_MSGINFO_LABEL(m.info), KIT_LABEL_FAULT);
	check_eq("task-fault-badge", m.badge, BADGE);
	check_eq("task-fault-kind", m.mr[0], KIT_FAULT_MEMORY);
	check_eq("task-fault-address", m.mr[2], 0x10);
	st = wait_end();
	check_eq("task-fault-status", st.state, KIT_TASK_FAULTED);
	check_eq("task-fault-pc", st.fault_pc, m.mr[1]);

	s = spec("spin");
	img.e.entry += LOOP; /* it computes until killed (at a timer interrupt) */
	check_eq("task-kill-create", create(&s), 0);
	check_eq("task-status-running", sys_task_status(T, &st), -EBUSY);
	check_eq("task-status-tid", st.tid > 0 && st.state == KIT_TASK_RUNNING, 1);
	check_eq("task-copy-ro", sys_cap_copy(T_RO, T, KIT_RIGHT_READ), 0);
	check_eq("task-kill-no-write", sys_task_kill(T_RO), -EPERM);
	check_eq("task-cap-copy-no-grant", sys_task_cap_copy(T_RO, 20, EP, KIT_RIGHTS_ALL, 0),
		 -EPERM);
	check_eq("task-cap-copy", sys_task_cap_copy(T, 20, EP, KIT_RIGHTS_ALL, 0), 0);
	check_eq("task-cap-copy-full", sys_task_cap_copy(T, 20, EP, KIT_RIGHTS_ALL, 0), -EEXIST);
	check_eq("task-cap-copy-empty", sys_task_cap_copy(T, 21, SPARE, KIT_RIGHTS_ALL, 0),
		 -ENOENT);
	check_eq("task-cap-copy-rights", sys_task_cap_copy(T, 21, EP, 8, 0), -EINVAL);
	check_eq("task-cap-copy-mint-badged", sys_task_cap_copy(T, 21, EP_B, KIT_RIGHTS_ALL, 3),
		 -EPERM);
	from_task();
	check_eq("task-kill", sys_task_kill(T), 0);
	st = wait_end();
	check_eq("task-kill-status", st.state, KIT_TASK_KILLED);
	s = spec("fromtask");
	s.elf = ENTRY_VA;
	s.elf_task = T;
	check_eq("task-elf-task-ended", sys_task_create(&s, SPARE), -ESRCH);
	sys_cap_delete(T_RO);

	s = spec("spin");
	s.exit_ntfn = 0;
	check_eq("task-delete-create", create(&s), 0);
	check_eq("task-delete-kills", sys_cap_delete(T), 0); /* killed and reaped: nothing left */
	image_reset();
	for (int i = 0; i < 40; i++) { /* more than 8: no children limit */
		s = spec("tiny");
		if (create(&s) != 0 || wait_end().code != 42)
			break;
		if (i == 39)
			check_eq("task-many", i + 1, 40);
	}
	return check_done();
}
