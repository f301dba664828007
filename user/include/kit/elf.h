/*
 * kit/elf.h: the ELF64 file and program headers (System V gABI, "ELF Header" and "Program
 * Header"), the one definition for the kernel's loader (common/lab4/elf.c) and the user
 * programs that build or read images (lab 5's tasktest, lab 6's launcher and lxtest).
 * Little-endian on every arch the kit runs.
 */
#pragma once

#include <stdint.h>

#define ELFCLASS64 2 /* ident[4] */
#define ET_EXEC	   2 /* type: an executable */
#define PT_NULL	   0 /* a program header's type: unused */
#define PT_LOAD	   1 /* a program header's type: a segment to map */
#define PF_X	   1 /* a segment's flags */
#define PF_W	   2
#define PF_R	   4
#define EM_X86_64  62 /* machine */
#define EM_AARCH64 183
#define EM_RISCV   243

/* EM_THIS: the machine user code is being compiled for. */
#if defined(__riscv)
#define EM_THIS EM_RISCV
#elif defined(__x86_64__)
#define EM_THIS EM_X86_64
#elif defined(__aarch64__)
#define EM_THIS EM_AARCH64
#endif

struct elf64_ehdr {
	unsigned char ident[16]; /* "\x7fELF", class, data, version, ... */
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff; /* phoff: bytes from the file's start */
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align; /* bytes */
};
