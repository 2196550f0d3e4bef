package city.heze.peony.streams.linkage;

import city.heze.peony.streams.linkage.ReviewFact.Kind;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Registrations and deregistrations of one credit code meet here (keyed by credit code): the
 * business's registration is the one with the latest {@code updatedAt} (then the greatest record
 * key), a function of the set of records whatever order they came in, and it counts while its status
 * is ACTIVE and no deregistration of the credit code exists. The processor sends a BUSINESS fact
 * (keyed by credit code, active or not) to the registration's legal representative, and a retraction
 * to the representative it last sent to when a re-registration names another one (or no
 * registration is left). The resident side ignores facts that did not change.
 */
final class BusinessLinker implements Processor<String, ReviewFact, String, ReviewFact> {
    private final String storeName;
    private KeyValueStore<String, FactSet> businesses;
    private ProcessorContext<String, ReviewFact> context;

    BusinessLinker(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<String, ReviewFact> context) {
        this.context = context;
        this.businesses = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, ReviewFact> record) {
        String creditCode = record.key();
        FactSet before = businesses.get(creditCode);
        FactSet state = (before == null ? FactSet.EMPTY : before).apply(record.value());

        ReviewFact registration = null;
        boolean deregistered = false;
        for (ReviewFact f : state.facts()) {
            if (f.kind() == Kind.BUSINESS_DEREGISTRATION) {
                deregistered = true;
            } else if (f.kind() == Kind.BUSINESS_REGISTRATION
                    && (registration == null || f.number() >= registration.number())) {
                // Facts are ordered by key, so on equal updatedAt the greatest key wins.
                registration = f;
            }
        }
        String representative = registration == null ? null : registration.subject();
        String last = state.emitted();
        if (last != null && !last.equals(representative)) {
            context.forward(record.withKey(last).withValue(ReviewFact.retraction(Kind.BUSINESS, creditCode)));
        }
        if (representative != null) {
            ReviewFact business = new ReviewFact(
                    Kind.BUSINESS,
                    creditCode,
                    true,
                    registration.active() && !deregistered,
                    0,
                    null,
                    null,
                    null,
                    registration.evidence());
            context.forward(record.withKey(representative).withValue(business));
        }
        FactSet next = state.withEmitted(representative, 0);
        if (next.isEmpty()) {
            businesses.delete(creditCode);
        } else {
            businesses.put(creditCode, next);
        }
    }
}
