package city.heze.peony.ops;

import city.heze.peony.schemas.PeonyTopic;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates Peony's topics if they are missing; existing topics are left as they are. */
public final class TopicProvisioner {
    private final Admin admin;
    private final short replicationFactor;

    public TopicProvisioner(Admin admin, short replicationFactor) {
        this.admin = admin;
        this.replicationFactor = replicationFactor;
    }

    /** Returns the names of the topics it created (empty when all existed). */
    public List<String> ensure(Collection<PeonyTopic> topics) {
        List<String> created = new ArrayList<>();
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (PeonyTopic topic : topics) {
                if (!existing.contains(topic.name())) {
                    missing.add(
                            new NewTopic(topic.name(), topic.partitions(), replicationFactor).configs(topic.configs()));
                }
            }
            var result = admin.createTopics(missing).values();
            for (var entry : result.entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                    created.add(entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new UserException(
                                "Cannot create topic " + entry.getKey() + ": "
                                        + e.getCause().getMessage(),
                                1,
                                e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("interrupted while creating topics", 1, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new UserException("Cannot list or create topics: " + cause.getMessage(), 1, e);
        }
        return created;
    }
}
