package city.heze.peony.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Evaluates {@link RequiresCommands}: run, skip with one clear line, or fail when they are required. */
public final class ExternalCommands implements ExecutionCondition {
    /** Set to {@code true} by the Maven profile {@code external-tools}: missing commands fail the build. */
    public static final String REQUIRED_PROPERTY = "peony.external-tools.required";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<RequiresCommands> requires =
                context.getTestClass().map(type -> type.getAnnotation(RequiresCommands.class));
        if (requires.isEmpty() || context.getTestMethod().isPresent()) {
            // Decided once for the class; its methods follow.
            return ConditionEvaluationResult.enabled("no external commands needed here");
        }
        List<String> missing = Arrays.stream(requires.get().value())
                .filter(command -> find(command).isEmpty())
                .toList();
        if (missing.isEmpty()) {
            return ConditionEvaluationResult.enabled(
                    "found " + String.join(", ", requires.get().value()));
        }
        String testName = context.getRequiredTestClass().getSimpleName();
        String message = testName + " needs " + String.join(", ", missing) + " on the PATH ("
                + requires.get().install() + ")";
        if (Boolean.getBoolean(REQUIRED_PROPERTY)) {
            throw new ExtensionConfigurationException(message + "; the external-tools profile requires it.");
        }
        // One line on the console, where a person running ./mvnw verify sees it.
        System.err.println("[peony] SKIPPED " + message + "; .ci/run installs it and runs with -Pexternal-tools.");
        return ConditionEvaluationResult.disabled(message);
    }

    /** The executable file named {@code command} in a {@code PATH} directory, if there is one. */
    public static Optional<Path> find(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, command))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /**
     * The program a test runs: the system property {@code property} if set, else {@code command} on
     * the {@code PATH}, else {@code /usr/bin/command} (where Debian's packages put it).
     */
    public static Path path(String command, String property) {
        return Path.of(
                System.getProperty(property, find(command).map(Path::toString).orElse("/usr/bin/" + command)));
    }
}
