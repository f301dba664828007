/*
 * kws_model.h: an int8 keyword-spotting network in the shape of the DS-CNN
 * "small" model of Zhang et al., "Hello Edge: Keyword Spotting on
 * Microcontrollers", arXiv:1711.07128 (2017), table 2: 49 x 10 MFCC features
 * in, a 10 x 4 convolution with stride 2 to 64 channels, four
 * depthwise-separable blocks (3 x 3 depthwise, 1 x 1 pointwise, 64
 * channels), an average pool and a fully connected layer to 12 classes.
 * Weights and inputs come from a seeded PRNG (xorshift64, Marsaglia,
 * "Xorshift RNGs", J. Stat. Softw. 8(14), 2003): the classes mean nothing,
 * the compute (about 2.7 million multiply-accumulates per inference) and
 * its memory shape are the point. Arithmetic is int8 weights and
 * activations, int32 accumulators, requantisation by an arithmetic right
 * shift and a clamp (ReLU after every layer but the last). Pure C with no
 * library at all, so the same file builds in the kit's user programs and on
 * the host (tests/test_kws_model.py). Not thread-safe for one model being
 * initialised while another thread infers with it; kws_infer itself only
 * reads the model.
 */
#pragma once

#include <stdint.h>

#define KWS_IN_T      49 /* input frames (time) */
#define KWS_IN_F      10 /* MFCC coefficients per frame */
#define KWS_CH	      64 /* channels of every hidden layer */
#define KWS_CONV_KT   10 /* the first convolution's kernel: time x frequency */
#define KWS_CONV_KF   4
#define KWS_STRIDE    2
#define KWS_OUT_T     25 /* after the stride-2 convolution (SAME padding): ceil(49 / 2) */
#define KWS_OUT_F     5	 /* ceil(10 / 2) */
#define KWS_DS_BLOCKS 4
#define KWS_CLASSES   12

struct kws_model {
	int8_t conv_w[KWS_CH][KWS_CONV_KT][KWS_CONV_KF];
	int32_t conv_b[KWS_CH];
	int8_t dw_w[KWS_DS_BLOCKS][KWS_CH][3][3];
	int32_t dw_b[KWS_DS_BLOCKS][KWS_CH];
	int8_t pw_w[KWS_DS_BLOCKS][KWS_CH][KWS_CH]; /* [out][in] */
	int32_t pw_b[KWS_DS_BLOCKS][KWS_CH];
	int8_t fc_w[KWS_CLASSES][KWS_CH];
	int32_t fc_b[KWS_CLASSES];
};

/* kws_model_init: fill *m from seed (any value; 0 is taken as 1). Same seed, same model. */
void kws_model_init(struct kws_model *m, uint64_t seed);

/* kws_input: frame window number frame of the seeded feature stream into in (int8 MFCCs). */
void kws_input(int8_t in[KWS_IN_T * KWS_IN_F], uint64_t seed, uint64_t frame);

/*
 * kws_infer: run the network on in; logits (when not NULL) gets the 12 int32 outputs.
 * Returns the class, 0..KWS_CLASSES-1 (the first of equal maxima). Uses a static
 * scratch buffer of 2 x 8,000 bytes: one inference at a time per program.
 */
int kws_infer(const struct kws_model *m, const int8_t in[KWS_IN_T * KWS_IN_F],
	      int32_t logits[KWS_CLASSES]);
