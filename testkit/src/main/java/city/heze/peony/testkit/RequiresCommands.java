package city.heze.peony.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that runs programs beyond a JDK (Node.js, Prometheus' {@code promtool}): it runs when
 * every named command is on the {@code PATH}, and is skipped with one line naming what is missing
 * and how to install it otherwise, so that {@code ./mvnw verify} passes on a machine with only a
 * JDK. With the Maven profile {@code external-tools} (which CI forces) a missing command fails the
 * test instead, so CI cannot pass without them.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ExternalCommands.class)
public @interface RequiresCommands {
    /** Command names looked up on the {@code PATH}, e.g. {@code node}. */
    String[] value();

    /** How to get them, shown when one is missing, e.g. {@code apt-get install nodejs npm}. */
    String install();
}
