/*
 * kws_model.c: the int8 DS-CNN of kws_model.h. Layout: activations are
 * [time][frequency][channel] (channel innermost, as the pointwise layers
 * read them), SAME padding with zeros. Requantisation: (acc + bias) >> shift,
 * clamped to 0..127 after a ReLU (the last layer keeps its int32 logits).
 * The shifts keep activations alive through all nine layers for weights
 * in -32..31 and inputs in -64..63 (measured on the host: a mean of 10 to
 * 25 and under 3 % saturated; one more bit each and the last layers are
 * zero, one less and they saturate).
 */
#include "kws_model.h"

#define SHIFT_CONV 6 /* 40 products per output */
#define SHIFT_DW   4 /* 9 */
#define SHIFT_PW   7 /* 64 */

static uint64_t next(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* a value in lo..lo+span-1 (span a power of 2, at most 256) */
static int8_t rand8(uint64_t *s, int lo, unsigned span)
{
	return (int8_t)(lo + (int)((next(s) >> 32) & (span - 1)));
}

void kws_model_init(struct kws_model *m, uint64_t seed)
{
	uint64_t s = seed ? seed : 1;
	int8_t *w = &m->conv_w[0][0][0];
	for (unsigned i = 0; i < sizeof(m->conv_w); i++)
		w[i] = rand8(&s, -32, 64);
	for (int c = 0; c < KWS_CH; c++)
		m->conv_b[c] = rand8(&s, -128, 256);
	for (int b = 0; b < KWS_DS_BLOCKS; b++) {
		for (int c = 0; c < KWS_CH; c++) {
			for (int i = 0; i < 9; i++)
				m->dw_w[b][c][i / 3][i % 3] = rand8(&s, -32, 64);
			m->dw_b[b][c] = rand8(&s, -128, 256);
			for (int i = 0; i < KWS_CH; i++)
				m->pw_w[b][c][i] = rand8(&s, -32, 64);
			m->pw_b[b][c] = rand8(&s, -128, 256);
		}
	}
	for (int k = 0; k < KWS_CLASSES; k++) {
		for (int i = 0; i < KWS_CH; i++)
			m->fc_w[k][i] = rand8(&s, -32, 64);
		m->fc_b[k] = rand8(&s, -128, 256);
	}
}

void kws_input(int8_t in[KWS_IN_T * KWS_IN_F], uint64_t seed, uint64_t frame)
{
	uint64_t s = (seed ? seed : 1) * 0x9e3779b97f4a7c15ULL + frame + 1;
	if (!s)
		s = 1;
	for (int i = 0; i < KWS_IN_T * KWS_IN_F; i++)
		in[i] = rand8(&s, -64, 128);
}

static int8_t requant(int32_t acc, int shift)
{
	acc >>= shift;
	return (int8_t)(acc < 0 ? 0 : acc > 127 ? 127 : acc);
}

#define ACT (KWS_OUT_T * KWS_OUT_F * KWS_CH)
static int8_t buf_a[ACT], buf_b[ACT];

/* conv: the 10 x 4 stride-2 convolution, 1 channel in, SAME padding (TensorFlow's: the
 * extra row or column of padding at the end): pad before = (k - 1) / 2 rows. */
static void conv(const struct kws_model *m, const int8_t *in, int8_t *out)
{
	const int pt = (KWS_CONV_KT - 1) / 2, pf = (KWS_CONV_KF - 1) / 2;
	for (int t = 0; t < KWS_OUT_T; t++)
		for (int f = 0; f < KWS_OUT_F; f++)
			for (int c = 0; c < KWS_CH; c++) {
				int32_t acc = m->conv_b[c];
				for (int i = 0; i < KWS_CONV_KT; i++) {
					int ti = t * KWS_STRIDE + i - pt;
					if (ti < 0 || ti >= KWS_IN_T)
						continue;
					for (int j = 0; j < KWS_CONV_KF; j++) {
						int fj = f * KWS_STRIDE + j - pf;
						if (fj >= 0 && fj < KWS_IN_F)
							acc += in[ti * KWS_IN_F + fj] *
							       m->conv_w[c][i][j];
					}
				}
				out[(t * KWS_OUT_F + f) * KWS_CH + c] = requant(acc, SHIFT_CONV);
			}
}

/* depthwise: 3 x 3 per channel, stride 1, padding 1. */
static void depthwise(const struct kws_model *m, int b, const int8_t *in, int8_t *out)
{
	for (int t = 0; t < KWS_OUT_T; t++)
		for (int f = 0; f < KWS_OUT_F; f++)
			for (int c = 0; c < KWS_CH; c++) {
				int32_t acc = m->dw_b[b][c];
				for (int i = -1; i <= 1; i++)
					for (int j = -1; j <= 1; j++) {
						int ti = t + i, fj = f + j;
						if (ti >= 0 && ti < KWS_OUT_T && fj >= 0 &&
						    fj < KWS_OUT_F)
							acc +=
							    in[(ti * KWS_OUT_F + fj) * KWS_CH + c] *
							    m->dw_w[b][c][i + 1][j + 1];
					}
				out[(t * KWS_OUT_F + f) * KWS_CH + c] = requant(acc, SHIFT_DW);
			}
}

/* pointwise: 1 x 1, 64 channels to 64, at every position. */
static void pointwise(const struct kws_model *m, int b, const int8_t *in, int8_t *out)
{
	for (int p = 0; p < KWS_OUT_T * KWS_OUT_F; p++) {
		const int8_t *x = &in[p * KWS_CH];
		for (int o = 0; o < KWS_CH; o++) {
			const int8_t *w = m->pw_w[b][o];
			int32_t acc = m->pw_b[b][o];
			for (int i = 0; i < KWS_CH; i++)
				acc += x[i] * w[i];
			out[p * KWS_CH + o] = requant(acc, SHIFT_PW);
		}
	}
}

int kws_infer(const struct kws_model *m, const int8_t in[KWS_IN_T * KWS_IN_F],
	      int32_t logits[KWS_CLASSES])
{
	int32_t pool[KWS_CH], out[KWS_CLASSES];
	conv(m, in, buf_a);
	for (int b = 0; b < KWS_DS_BLOCKS; b++) {
		depthwise(m, b, buf_a, buf_b);
		pointwise(m, b, buf_b, buf_a);
	}
	for (int c = 0; c < KWS_CH; c++) {
		int32_t s = 0;
		for (int p = 0; p < KWS_OUT_T * KWS_OUT_F; p++)
			s += buf_a[p * KWS_CH + c];
		pool[c] = s / (KWS_OUT_T * KWS_OUT_F); /* average: 0..127 */
	}
	int best = 0;
	for (int k = 0; k < KWS_CLASSES; k++) {
		int32_t acc = m->fc_b[k];
		for (int i = 0; i < KWS_CH; i++)
			acc += pool[i] * m->fc_w[k][i];
		out[k] = acc;
		if (acc > out[best])
			best = k;
		if (logits)
			logits[k] = acc;
	}
	return best;
}
