package org.egovpki.core.sync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@link SyncOutbox} and {@link SyncMarkers} in memory, for tests above the directory. */
public final class InMemorySyncOutbox implements SyncOutbox, SyncMarkers {

    private final Map<String, List<OutboxEvent>> events = new TreeMap<>();
    private final Map<String, Long> fannedOut = new TreeMap<>();
    private final Map<String, Long> appended = new TreeMap<>();
    private final List<Owed> markers = new ArrayList<>();

    /** A change writes its marker (the test plays the store that does it in the change's modify). */
    public synchronized void mark(Owed owed) {
        markers.add(owed);
    }

    public synchronized List<Owed> markers() {
        return List.copyOf(markers);
    }

    public synchronized List<OutboxEvent> events(String ca) {
        return List.copyOf(events.getOrDefault(ca, List.of()));
    }

    @Override
    public synchronized OutboxEvent append(SyncEvent event) {
        List<OutboxEvent> list = events.computeIfAbsent(event.ca(), ca -> new ArrayList<>());
        for (OutboxEvent e : list) {
            if (e.event().id().equals(event.id())) {
                return e;
            }
        }
        OutboxEvent added = new OutboxEvent(appended.merge(event.ca(), 1L, Long::sum), event);
        list.add(added);
        return added;
    }

    @Override
    public synchronized List<OutboxEvent> after(String ca, long caSequence, int limit) {
        return events.getOrDefault(ca, List.of()).stream().filter(e -> e.caSequence() > caSequence)
                .limit(limit).toList();
    }

    @Override
    public synchronized List<String> cas() {
        return List.copyOf(events.keySet());
    }

    @Override
    public synchronized long fannedOut(String ca) {
        return fannedOut.getOrDefault(ca, 0L);
    }

    @Override
    public synchronized void markFannedOut(String ca, long caSequence) {
        fannedOut.put(ca, caSequence);
    }

    /** In memory an event counts as appended at its own time. */
    @Override
    public synchronized int purge(String ca, long throughSequence, Instant before) {
        List<OutboxEvent> list = events.getOrDefault(ca, new ArrayList<>());
        int size = list.size();
        list.removeIf(e -> e.caSequence() <= throughSequence && e.event().time().isBefore(before));
        return size - list.size();
    }

    @Override
    public synchronized List<Owed> owed(int limit) {
        return markers.stream().limit(limit).toList();
    }

    @Override
    public synchronized void discharge(Owed owed) {
        markers.remove(owed);
    }
}
