package city.heze.peony.ops;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that talks to a Kafka cluster (and its schema registry) and prints to the console. */
public abstract class ClusterCommand implements Callable<Integer> {
    @Spec
    protected CommandSpec spec;

    @Mixin
    protected ClusterOptions cluster;

    /** The command's standard output. */
    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** The command's standard error, for warnings beside the output. */
    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
