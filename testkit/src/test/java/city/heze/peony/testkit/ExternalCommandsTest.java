package city.heze.peony.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs small annotated classes through the real JUnit engine and checks what happened to them. */
class ExternalCommandsTest {

    private String required;

    /** Each test starts with the property unset (the external-tools profile sets it for the JVM). */
    @BeforeEach
    void clearProperty() {
        required = System.clearProperty(ExternalCommands.REQUIRED_PROPERTY);
    }

    @AfterEach
    void restoreProperty() {
        if (required == null) {
            System.clearProperty(ExternalCommands.REQUIRED_PROPERTY);
        } else {
            System.setProperty(ExternalCommands.REQUIRED_PROPERTY, required);
        }
    }

    @Test
    void aTestWhoseCommandsAreOnThePathRuns() {
        EngineExecutionResults results = run(NeedsShell.class);
        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
    }

    @Test
    void aTestWithAMissingCommandIsSkippedWithItsName() {
        EngineExecutionResults results = run(NeedsNoSuchCommand.class);
        results.testEvents().assertStatistics(stats -> stats.started(0));
        results.containerEvents().assertStatistics(stats -> stats.skipped(1));
        String reason = results.containerEvents()
                .skipped()
                .list()
                .get(0)
                .getPayload(String.class)
                .orElseThrow();
        assertThat(reason)
                .contains("NeedsNoSuchCommand", "peony-no-such-command", "nowhere")
                .doesNotContain("sh,");
    }

    @Test
    void aMissingCommandFailsWhenTheProfileRequiresIt() {
        System.setProperty(ExternalCommands.REQUIRED_PROPERTY, "true");
        EngineExecutionResults results = run(NeedsNoSuchCommand.class);
        results.testEvents().assertStatistics(stats -> stats.started(0));
        results.containerEvents().assertStatistics(stats -> stats.failed(1));
    }

    @Test
    void findLooksUpThePath() {
        assertThat(ExternalCommands.find("sh")).isPresent();
        assertThat(ExternalCommands.find("peony-no-such-command")).isEmpty();
    }

    private static EngineExecutionResults run(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(testClass))
                .execute();
    }

    @RequiresCommands(value = "sh", install = "it comes with the system")
    static class NeedsShell {
        @Test
        void runs() {}
    }

    @RequiresCommands(
            value = {"sh", "peony-no-such-command"},
            install = "nowhere")
    static class NeedsNoSuchCommand {
        @Test
        void neverRuns() {}
    }
}
