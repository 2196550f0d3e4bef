package city.heze.peony.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import city.heze.peony.registry.SchemaRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Starting the server fails with messages that name what is wrong. */
class EmbeddedSchemaRegistryStartTest {

    @Test
    void anUnreachableKafkaIsNamed() throws IOException {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        String bootstrap = "127.0.0.1:" + deadPort;

        assertThatThrownBy(() -> EmbeddedSchemaRegistry.builder()
                        .bootstrapServers(bootstrap)
                        .storeTimeout(Duration.ofSeconds(2))
                        .start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(bootstrap)
                .hasMessageContaining("_peony_schemas");
    }

    @Test
    void aPortInUseIsNamed() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> EmbeddedSchemaRegistry.serve(SchemaRegistry.inMemory(), taken.getLocalPort()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port " + taken.getLocalPort())
                    .hasMessageContaining("in use");
        }
    }

    @Test
    void servesOnAFreePortWhenAskedForZero() {
        try (EmbeddedSchemaRegistry server = EmbeddedSchemaRegistry.serve(SchemaRegistry.inMemory(), 0)) {
            assertThat(server.port()).isPositive();
            assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port());
        }
    }

    @Test
    void servesWithTcpNoDelaySoThatACallIsNotHeldByNagle() {
        // Without it every call waited for the client's delayed ACK: ~45 ms instead of ~1.5 ms.
        try (EmbeddedSchemaRegistry server = EmbeddedSchemaRegistry.serve(SchemaRegistry.inMemory(), 0)) {
            assertThat(System.getProperty(EmbeddedSchemaRegistry.NODELAY_PROPERTY))
                    .as("the JDK HttpServer's TCP_NODELAY switch")
                    .isEqualTo("true");
        }
    }
}
