/*
 * lxmalloc: glibc's malloc on linuxd's memory calls (brk, mmap, munmap,
 * mprotect): many small blocks, 1 MiB blocks (mmap'd, given back by
 * munmap), realloc growth, calloc, then anonymous mmap directly: pages
 * given back are reused, fresh ones are zero, MAP_FIXED replaces, mprotect
 * checks its range. Prints checksums and verdicts, never an address: the
 * output is the same under Linux.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define SMALL 2000
#define MIB   (1024 * 1024)

static unsigned long seed = 12345;

static unsigned long rnd(void)
{
	seed = seed * 6364136223846793005UL + 1442695040888963407UL;
	return seed >> 33;
}

/* fill: n bytes at b with tag's pattern; check: whether they still hold it. */
static void fill(unsigned char *b, size_t n, unsigned tag)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)(i * 31 + tag);
}

static int check(const unsigned char *b, size_t n, unsigned tag)
{
	for (size_t i = 0; i < n; i++)
		if (b[i] != (unsigned char)(i * 31 + tag))
			return 0;
	return 1;
}

static unsigned long sum(const unsigned char *b, size_t n)
{
	unsigned long s = 0;
	for (size_t i = 0; i < n; i++)
		s = s * 33 + b[i];
	return s;
}

static void small_blocks(void)
{
	static unsigned char *p[SMALL];
	static size_t len[SMALL];
	unsigned long s = 0;
	int bad = 0;

	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < SMALL; i++) {
			if (p[i] && (rnd() & 1) == 0)
				continue;
			if (p[i]) {
				bad += !check(p[i], len[i], (unsigned)i);
				free(p[i]);
			}
			len[i] = 1 + rnd() % 300;
			p[i] = malloc(len[i]);
			if (!p[i]) {
				printf("small: malloc failed\n");
				return;
			}
			fill(p[i], len[i], (unsigned)i);
		}
	}
	for (int i = 0; i < SMALL; i++) {
		bad += !check(p[i], len[i], (unsigned)i);
		s += sum(p[i], len[i]);
		free(p[i]);
	}
	printf("small: %d blocks, 3 rounds, %d bad, checksum %lx\n", SMALL, bad, s);
}

static void large_blocks(void)
{
	unsigned long s = 0;
	int bad = 0;

	for (int i = 0; i < 6; i++) {
		unsigned char *b = malloc(MIB);
		if (!b) {
			printf("large: malloc of 1 MiB failed\n");
			return;
		}
		fill(b, MIB, (unsigned)i);
		bad += !check(b, MIB, (unsigned)i);
		s += sum(b, MIB);
		free(b);
	}
	printf("large: 6 blocks of 1 MiB one after another, %d bad, checksum %lx\n", bad, s);
}

static void growth(void)
{
	size_t n = 16;
	unsigned char *b = malloc(n);
	int bad = 0;

	fill(b, n, 7);
	while (n < 512 * 1024) {
		unsigned char *q = realloc(b, n * 2);
		if (!q) {
			printf("realloc: failed at %zu bytes\n", n * 2);
			free(b);
			return;
		}
		bad += !check(q, n, 7);
		b = q;
		n *= 2;
		fill(b, n, 7);
	}
	printf("realloc: grew to %zu bytes, %d bad, checksum %lx\n", n, bad, sum(b, n));
	free(b);
}

static void zeroed(void)
{
	int nonzero = 0;

	for (int i = 0; i < 4; i++) { /* dirty memory first, so calloc must clear what it reuses */
		unsigned char *d = malloc(200000);
		memset(d, 0xa5, 200000);
		free(d);
		unsigned char *z = calloc(50000, 4);
		for (int k = 0; k < 200000; k++)
			nonzero += z[k] != 0;
		free(z);
	}
	printf("calloc: 4 x 200000 bytes, %d nonzero\n", nonzero);
}

static void mappings(void)
{
	const size_t len = 64 * 1024;
	int failed = 0, dirty = 0;

	for (int i = 0; i < 200; i++) { /* 12.5 MiB in all: more than the window, unless reused */
		unsigned char *m =
		    mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED) {
			failed++;
			continue;
		}
		for (size_t k = 0; k < len; k += 512)
			dirty += m[k] != 0;
		memset(m, 0x5a, len);
		munmap(m, len);
	}
	printf("mmap: 200 x 64 KiB mapped and unmapped, %d failed, %d dirty bytes\n", failed,
	       dirty);

	unsigned char *a =
	    mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(a, 0x77, 3 * 4096);
	unsigned char *f = mmap(a + 4096, 4096, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	printf("MAP_FIXED: at its address %s, new page zero %s, neighbours kept %s\n",
	       f == a + 4096 ? "yes" : "no", f[0] == 0 && f[4095] == 0 ? "yes" : "no",
	       a[4095] == 0x77 && a[2 * 4096] == 0x77 ? "yes" : "no");

	int r = mprotect(a, 3 * 4096, PROT_READ | PROT_WRITE);
	printf("mprotect: mapped %d", r);
	r = mprotect(a + 1, 4096, PROT_READ);
	printf(", unaligned %d %s", r, r ? strerror(errno) : "");
	r = mprotect(a, 4096, 0x100);
	printf(", bad prot %d %s", r, r ? strerror(errno) : "");
	munmap(a + 2 * 4096, 4096);
	r = mprotect(a, 3 * 4096, PROT_READ | PROT_WRITE);
	printf(", partly unmapped %d %s\n", r, r ? strerror(errno) : "");
	r = munmap(a + 1, 4096);
	printf("munmap: unaligned %d %s\n", r, r ? strerror(errno) : "");
	munmap(a, 2 * 4096);
}

int main(void)
{
	small_blocks();
	large_blocks();
	growth();
	zeroed();
	mappings();
	return 0;
}
