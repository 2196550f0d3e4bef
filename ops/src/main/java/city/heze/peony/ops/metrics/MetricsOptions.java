package city.heze.peony.ops.metrics;

import picocli.CommandLine.Option;

/**
 * The {@code --metrics-port} option of every long-running command ({@code peony up}, and later
 * {@code peony validate}): add it with {@code @Mixin MetricsOptions metrics;} and call
 * {@link #start()}.
 */
public final class MetricsOptions {
    @Option(
            names = "--metrics-port",
            paramLabel = "N",
            defaultValue = "${env:PEONY_METRICS_PORT:-" + MetricsServer.DEFAULT_PORT + "}",
            description = "Port of /metrics and /-/healthy on 127.0.0.1; 0 picks a free one"
                    + " (env PEONY_METRICS_PORT; default ${DEFAULT-VALUE}).")
    int metricsPort = MetricsServer.DEFAULT_PORT;

    public int metricsPort() {
        return metricsPort;
    }

    /**
     * Starts serving on the chosen port.
     *
     * @throws city.heze.peony.ops.UserException when the port is invalid or in use
     */
    public MetricsServer start() {
        return MetricsServer.start(metricsPort);
    }
}
