/*
 * kwsd.c: the keyword-spotting inference server (lab 8's capstone, kws.c
 * spawns it): its endpoint capability is in KIT_SLOT_ARG, the model seed in
 * its start argument. It builds the model (kws_model.c) and then answers
 * every Call from a ReplyRecv loop:
 *   label KWS_INFER, mr0 the frame window's number: the window's features
 *       (kws_input, the same seed) through the network; the reply's mr0 is
 *       the class, mr1 a checksum of the 12 logits;
 *   label KWS_CALIBRATE: the same for window 0, and mr2 the instructions it
 *       took (kit_cycles around kws_infer: exact under -icount while nothing
 *       else runs, which is why the client asks before its background starts).
 * It runs until its parent ends (which ends it).
 */
#include "user.h"
#include "kit/syscall.h"
#include "kws_model.h"
#include "kws.h"

static struct kws_model model;

static unsigned long infer(uint64_t seed, unsigned long frame, unsigned long *sum)
{
	static int8_t in[KWS_IN_T * KWS_IN_F];
	int32_t logits[KWS_CLASSES];
	uint32_t h = 2166136261u; /* FNV-1a over the logits' words */

	kws_input(in, seed, frame);
	int c = kws_infer(&model, in, logits);
	for (int k = 0; k < KWS_CLASSES; k++)
		h = (h ^ (uint32_t)logits[k]) * 16777619u;
	*sum = h;
	return (unsigned long)c;
}

int main(void)
{
	uint64_t seed = kit_start_arg;
	struct kit_msg m = {0};

	kws_model_init(&model, seed);
	kit_recv(KIT_SLOT_ARG, &m);
	for (;;) {
		unsigned long label = KIT_MSGINFO_LABEL(m.info), sum = 0, instr = 0, c;
		if (label == KWS_CALIBRATE) {
			uint64_t t0 = kit_cycles();
			c = infer(seed, 0, &sum);
			instr = kit_cycles() - t0;
		} else {
			c = infer(seed, m.mr[0], &sum);
		}
		m.info = KIT_MSGINFO(0, 0, 3);
		m.mr[0] = c;
		m.mr[1] = sum;
		m.mr[2] = instr;
		kit_reply_recv(KIT_SLOT_ARG, &m);
	}
}
