package org.egovpki.core.sync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** {@link SyncStore} in memory, for tests of everything above the directory. Thread-safe. */
public final class InMemorySyncStore implements SyncStore {

    private final Map<String, SyncTarget> targets = new ConcurrentHashMap<>();
    private final Map<String, NavigableMap<Long, SyncMessage>> queues = new ConcurrentHashMap<>();
    private final Map<String, TargetState> states = new ConcurrentHashMap<>();

    @Override
    public List<SyncTarget> targets() {
        return targets.values().stream().sorted((a, b) -> a.id().compareTo(b.id())).toList();
    }

    @Override
    public Optional<SyncTarget> target(String id) {
        return Optional.ofNullable(targets.get(id));
    }

    @Override
    public synchronized boolean addTarget(SyncTarget target) {
        if (targets.putIfAbsent(target.id(), target) != null) {
            return false;
        }
        queues.put(target.id(), new ConcurrentSkipListMap<>());
        states.put(target.id(), TargetState.EMPTY);
        return true;
    }

    @Override
    public synchronized boolean replaceTarget(SyncTarget target) {
        return targets.replace(target.id(), target) != null;
    }

    @Override
    public synchronized boolean deleteTarget(String id) {
        queues.remove(id);
        states.remove(id);
        return targets.remove(id) != null;
    }

    @Override
    public synchronized boolean enqueue(SyncMessage message) {
        NavigableMap<Long, SyncMessage> queue = queue(message.targetId());
        if (queue.putIfAbsent(message.sequence(), message) != null) {
            return false;
        }
        TargetState s = states.get(message.targetId());
        if (message.sequence() > s.lastEnqueued()) {
            states.put(message.targetId(), new TargetState(message.sequence(), s.lastDelivered(), s.parked(),
                    s.attempts(), s.lastError(), s.lastAttemptAt(), s.lastSuccessAt(), s.nextAttemptAt()));
        }
        return true;
    }

    @Override
    public Optional<SyncMessage> message(String targetId, long sequence) {
        return Optional.ofNullable(queue(targetId).get(sequence));
    }

    @Override
    public List<SyncMessage> messages(String targetId, long afterSequence, int limit) {
        return new ArrayList<>(queue(targetId).tailMap(afterSequence, false).values()).stream().limit(limit).toList();
    }

    @Override
    public synchronized int purgeDelivered(String targetId, Instant before) {
        long delivered = state(targetId).lastDelivered();
        List<Long> gone = queue(targetId).headMap(delivered, true).values().stream()
                .filter(m -> m.enqueuedAt().isBefore(before)).map(SyncMessage::sequence).toList();
        gone.forEach(queue(targetId)::remove);
        return gone.size();
    }

    @Override
    public TargetState state(String targetId) {
        TargetState s = states.get(targetId);
        if (s == null) {
            throw new IllegalArgumentException("no sync target " + targetId);
        }
        return s;
    }

    @Override
    public synchronized boolean updateState(String targetId, TargetState expected, TargetState updated) {
        TargetState now = state(targetId);
        if (now.lastDelivered() != expected.lastDelivered() || now.parked() != expected.parked()) {
            return false;
        }
        // lastEnqueued is the store's: a concurrent enqueue must not be undone.
        states.put(targetId, new TargetState(Math.max(now.lastEnqueued(), updated.lastEnqueued()),
                updated.lastDelivered(), updated.parked(), updated.attempts(), updated.lastError(),
                updated.lastAttemptAt(), updated.lastSuccessAt(), updated.nextAttemptAt()));
        return true;
    }

    private NavigableMap<Long, SyncMessage> queue(String targetId) {
        NavigableMap<Long, SyncMessage> q = queues.get(targetId);
        if (q == null) {
            throw new IllegalArgumentException("no sync target " + targetId);
        }
        return q;
    }
}
