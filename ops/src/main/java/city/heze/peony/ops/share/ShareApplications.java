package city.heze.peony.ops.share;

import city.heze.peony.avro.ShareRequest;
import city.heze.peony.ops.TopicSnapshot;
import city.heze.peony.ops.UserException;
import city.heze.peony.schemas.ClientConfigs;
import city.heze.peony.schemas.PeonySerdes;
import city.heze.peony.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.Serde;

/** Looks up share applications on the cluster, for commands that need one by id. */
final class ShareApplications {
    private ShareApplications() {}

    /**
     * The application {@code id}: on {@code peony.share.requests}, or still on the department topic
     * it was submitted to (the share application forwards it within moments, and a command run just
     * after {@code share request} must find it too).
     */
    static Optional<ShareRequest> request(Properties client, String id) {
        List<String> topics = new ArrayList<>();
        topics.add(Topics.SHARE_REQUESTS.name());
        topics.addAll(ingressRequestTopics(client));
        ShareRequest[] found = {null};
        try (Serde<ShareRequest> serde = new PeonySerdes(ClientConfigs.toMap(client)).shareRequest()) {
            TopicSnapshot.readRaw(client, topics, record -> {
                if (found[0] == null
                        && record.key() != null
                        && id.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                    ShareRequest r = TopicSnapshot.decodeOrNull(serde.deserializer(), record);
                    if (r != null && r.getApplicationId().equals(id)) {
                        found[0] = r;
                    }
                }
            });
        }
        return Optional.ofNullable(found[0]);
    }

    private static List<String> ingressRequestTopics(Properties client) {
        try (Admin admin = Admin.create(ClientConfigs.kafkaOnly(client))) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t ->
                            Topics.SHARE_REQUESTS_INGRESS_PATTERN.matcher(t).matches())
                    .sorted()
                    .toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("interrupted while listing topics", 1);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new UserException(
                    "cannot list topics on " + client.getProperty("bootstrap.servers") + ": " + cause.getMessage(), 1);
        }
    }
}
