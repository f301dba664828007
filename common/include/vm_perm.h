/*
 * vm_perm.h: the portable permission and attribute bits of a mapping, which
 * each arch's PTE encoding (arch/<arch>/include/arch/mmu.h) translates.
 */
#pragma once

#define VM_READ	  0x01
#define VM_WRITE  0x02
#define VM_EXEC	  0x04
#define VM_USER	  0x08
#define VM_GLOBAL 0x10 /* the same in every address space (kernel mappings) */
#define VM_LARGE  0x20 /* pt_map may use 2 MiB pages where va, pa and len allow */
