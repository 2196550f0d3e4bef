package city.heze.peony.streams.linkage;

import city.heze.peony.streams.topology.CompactCodec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;

/**
 * The state of one subject: its facts, ordered by kind then key, and what was last emitted for it.
 * For a resident, {@code emitted} is the signature of the last review written (null: none yet, or
 * none since the person stopped being a recipient) and {@code flaggedKinds} the flag kinds it held,
 * a bit per {@code ReviewFlagKind} ordinal, for the gauges. For a business (by credit code),
 * {@code emitted} is the legal representative its BUSINESS fact was last sent to.
 */
record FactSet(List<ReviewFact> facts, String emitted, int flaggedKinds) {

    static final FactSet EMPTY = new FactSet(List.of(), null, 0);

    /** The facts with {@code fact} applied: it replaces the fact of the same identity, a retraction removes it. */
    FactSet apply(ReviewFact fact) {
        List<ReviewFact> next = new ArrayList<>(facts.size() + 1);
        boolean placed = false;
        for (ReviewFact f : facts) {
            int c = f.compareIdentity(fact);
            if (c == 0) {
                continue;
            }
            if (c > 0 && !placed) {
                if (fact.present()) {
                    next.add(fact);
                }
                placed = true;
            }
            next.add(f);
        }
        if (!placed && fact.present()) {
            next.add(fact);
        }
        return new FactSet(Collections.unmodifiableList(next), emitted, flaggedKinds);
    }

    FactSet withEmitted(String signature, int kinds) {
        return new FactSet(facts, signature, kinds);
    }

    /** Nothing to remember: the subject can be deleted from its store. */
    boolean isEmpty() {
        return facts.isEmpty() && emitted == null;
    }

    private static final int VERSION = 1;

    private static byte[] toBytes(FactSet s) {
        CompactCodec.Writer w = new CompactCodec.Writer(64 + 160 * s.facts.size())
                .writeByte(VERSION)
                .writeString(s.emitted)
                .writeInt(s.flaggedKinds)
                .writeInt(s.facts.size());
        for (ReviewFact f : s.facts) {
            ReviewFact.write(w, f);
        }
        return w.toByteArray();
    }

    private static FactSet fromBytes(byte[] bytes) {
        CompactCodec.Reader r = new CompactCodec.Reader("social-assistance review facts", bytes);
        r.expectVersion(VERSION);
        String emitted = r.readString();
        int kinds = r.readInt();
        int count = r.readInt();
        List<ReviewFact> facts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            facts.add(ReviewFact.read(r));
        }
        return new FactSet(Collections.unmodifiableList(facts), emitted, kinds);
    }

    static Serde<FactSet> serde() {
        return CompactCodec.serde(FactSet::toBytes, FactSet::fromBytes);
    }
}
