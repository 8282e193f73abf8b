package org.egovpki.server.sync.receiver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events the receiver accepted, durably: one JSON line per event appended to
 * {@code <data>/events.jsonl} and forced to disk before the sender is answered 2xx, so an event
 * acknowledged is never lost. The exact body and signature bytes are kept (base64) so an
 * integrator can re-verify them. Reloaded at start; a last line cut short by a crash was never
 * acknowledged and is dropped. Not thread-safe: {@link SyncReceiver} serialises the calls.
 */
final class ReceivedEvents implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReceivedEvents.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final String FILE = "events.jsonl";

    /** One accepted event as {@code GET /received} lists it. {@code serial} or {@code crlNumber} is null. */
    record Event(String id, long sequence, String type, String serial, String crlNumber, boolean signatureValid,
                 String target) {
    }

    private final FileChannel file;
    private final List<Event> events = new ArrayList<>();
    private final Map<String, Event> byId = new HashMap<>();

    private ReceivedEvents(FileChannel file) {
        this.file = file;
    }

    /** Opens (creating) the store in {@code directory} and loads what it holds. */
    static ReceivedEvents open(Path directory) {
        try {
            Files.createDirectories(directory);
            Path path = directory.resolve(FILE);
            List<Event> loaded = new ArrayList<>();
            long good = 0;
            if (Files.exists(path)) {
                byte[] all = Files.readAllBytes(path);
                int start = 0;
                for (int i = 0; i < all.length; i++) {
                    if (all[i] == '\n') {
                        loaded.add(parse(new String(all, start, i - start, StandardCharsets.UTF_8)));
                        start = i + 1;
                        good = start;
                    }
                }
                if (good < all.length) {
                    LOG.warn("{}: dropping an incomplete last line of {} bytes (written when the receiver stopped; "
                            + "it was never acknowledged, the sender sends it again)", path, all.length - good);
                }
            }
            FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            channel.truncate(good);
            channel.position(good);
            ReceivedEvents store = new ReceivedEvents(channel);
            loaded.forEach(store::remember);
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the receiver's store in " + directory + ": " + e.getMessage(), e);
        }
    }

    private static Event parse(String line) throws IOException {
        JsonNode node = MAPPER.readTree(line);
        return new Event(node.get("id").asText(), node.get("sequence").asLong(), node.get("type").asText(),
                text(node, "serial"), text(node, "crlNumber"), node.get("signatureValid").asBoolean(),
                text(node, "target"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** Appends the event with its bytes and forces it to disk; only then is it listed. */
    void append(Event event, byte[] body, byte[] signature) {
        ObjectNode line = MAPPER.createObjectNode();
        line.put("id", event.id());
        line.put("sequence", event.sequence());
        line.put("type", event.type());
        line.put("serial", event.serial());
        line.put("crlNumber", event.crlNumber());
        line.put("signatureValid", event.signatureValid());
        line.put("target", event.target());
        line.put("body", Base64.getEncoder().encodeToString(body));
        line.put("signature", Base64.getEncoder().encodeToString(signature));
        try {
            ByteBuffer bytes = ByteBuffer.wrap((MAPPER.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                file.write(bytes);
            }
            file.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store event " + event.id() + ": " + e.getMessage(), e);
        }
        remember(event);
    }

    private void remember(Event event) {
        events.add(event);
        byId.putIfAbsent(event.id(), event);
    }

    Optional<Event> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    List<Event> all() {
        return List.copyOf(events);
    }

    /** The target the stored events were for (the first one's), if any. */
    Optional<String> target() {
        return events.stream().map(Event::target).filter(t -> t != null).findFirst();
    }

    long highestSequence() {
        return events.stream().mapToLong(Event::sequence).max().orElse(0);
    }

    /** The missing sequence ranges between 1 and the highest held, as {@code [from, to]} pairs. */
    List<long[]> gaps() {
        TreeSet<Long> held = new TreeSet<>();
        events.forEach(e -> held.add(e.sequence()));
        List<long[]> gaps = new ArrayList<>();
        long expected = 1;
        for (long sequence : held) {
            if (sequence > expected) {
                gaps.add(new long[] {expected, sequence - 1});
            }
            expected = sequence + 1;
        }
        return gaps;
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException e) {
            LOG.warn("closing the receiver's store: {}", e.getMessage());
        }
    }
}
