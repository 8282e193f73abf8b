package org.egovpki.core.sync;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enqueues each outbox event, in outbox order, for every enabled target that takes it: builds the
 * target's body, signs it once (the same bytes on every retry), stores it with the target's next
 * sequence, then wakes the target's delivery.
 *
 * <p>Single-threaded by contract (the capture worker runs it). Crash-safe without a transaction:
 * an event's fan-out is finished before {@link SyncOutbox#markFannedOut} records it, so a crash
 * leaves at most one event half done, the one after its CA's recorded position, and it was the
 * last thing enqueued for any target. A run therefore first finishes such an event (found as a
 * target's last message), before anything else is enqueued; while an event is fanned out, each
 * target's last message says whether it already has it (same id), so nothing is enqueued twice,
 * and each target's next sequence is its store-reported {@code lastEnqueued + 1}, so none is skipped.
 *
 * <p>Events no target takes are passed over without a write each: the position moves past them in
 * memory and is recorded once, before the next event a target takes or at the end of the batch. A
 * crash before that record only makes the next run pass over them again (at most one batch).
 */
public final class SyncFanOut {

    private static final Logger LOG = LoggerFactory.getLogger(SyncFanOut.class);
    private static final int BATCH = 100;

    private final SyncOutbox outbox;
    private final SyncStore store;
    private final SyncBodies bodies;
    private final SyncSigner signer;
    private final SyncDeliveryTrigger trigger;
    private final Clock clock;

    public SyncFanOut(SyncOutbox outbox, SyncStore store, SyncBodies bodies, SyncSigner signer,
                      SyncDeliveryTrigger trigger, Clock clock) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.store = Objects.requireNonNull(store, "store");
        this.bodies = Objects.requireNonNull(bodies, "bodies");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.trigger = Objects.requireNonNull(trigger, "trigger");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Fans out every event not fanned out yet, CA by CA; returns how many events it finished. */
    public int run() {
        int done = finishHalfDone();
        for (String ca : outbox.cas()) {
            long position = outbox.fannedOut(ca);
            long recorded = position;
            List<OutboxEvent> batch;
            while (!(batch = outbox.after(ca, position, BATCH)).isEmpty()) {
                // Whether anyone takes an event is judged on the batch's targets; an event that is taken is
                // fanned out to the targets as they are at that moment (settings changed since apply at once).
                List<SyncTarget> targets = store.targets();
                for (OutboxEvent event : batch) {
                    if (event.caSequence() != position + 1) {
                        throw new IllegalStateException("the outbox of CA " + ca + " has a gap after event "
                                + position + " (next: " + event.caSequence() + "); fan-out stops there");
                    }
                    if (targets.stream().anyMatch(event.event()::routedTo)) {
                        // The event a crash may interrupt must be the one right after the recorded position.
                        if (recorded != position) {
                            outbox.markFannedOut(ca, position);
                        }
                        fanOut(event, store.targets());
                        outbox.markFannedOut(ca, event.caSequence());
                        recorded = event.caSequence();
                    }
                    position = event.caSequence();
                    done++;
                }
                if (recorded != position) {
                    outbox.markFannedOut(ca, position);
                    recorded = position;
                }
            }
        }
        return done;
    }

    /** The event a crash interrupted, if any: a target's last message one past its CA's position. */
    private int finishHalfDone() {
        int done = 0;
        for (SyncTarget target : store.targets()) {
            long last = store.state(target.id()).lastEnqueued();
            Optional<SyncMessage> message = last == 0 ? Optional.empty() : store.message(target.id(), last);
            if (message.isEmpty()) {
                continue;
            }
            String ca = message.get().ca();
            long position = outbox.fannedOut(ca);
            if (message.get().caSequence() == position + 1) {
                List<OutboxEvent> next = outbox.after(ca, position, 1);
                if (!next.isEmpty() && next.get(0).event().id().equals(message.get().eventId())) {
                    LOG.info("Finishing the fan-out of {} that a stop interrupted", message.get().eventId());
                    fanOut(next.get(0), store.targets());
                    outbox.markFannedOut(ca, position + 1);
                    done++;
                }
            }
        }
        return done;
    }

    private void fanOut(OutboxEvent event, List<SyncTarget> targets) {
        SyncEvent e = event.event();
        for (SyncTarget target : targets) {
            if (!e.routedTo(target)) {
                continue;
            }
            long last = store.state(target.id()).lastEnqueued();
            if (last > 0 && store.message(target.id(), last).map(m -> m.eventId().equals(e.id())).orElse(false)) {
                continue; // enqueued before a crash: resumed, not repeated
            }
            long sequence = last + 1;
            byte[] body = bodies.build(event, target, sequence, clock.instant());
            byte[] signature = signer.sign(e.ca(), body);
            SyncMessage message = new SyncMessage(target.id(), sequence, e.id(), e.type(), e.ca(), event.caSequence(),
                    clock.instant(), body, signature);
            if (!store.enqueue(message)) {
                throw new IllegalStateException("sequence " + sequence + " of sync target " + target.id()
                        + " is taken: only the capture worker enqueues, so another one runs against this directory");
            }
            LOG.debug("Enqueued {} for sync target {} as #{}", e.id(), target.id(), sequence);
            trigger.enqueued(target.id());
        }
    }
}
