package city.heze.peony.schemas;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The linkage scenarios: which department owns each, which catalogs' shared topics it reads and
 * which topics it writes, in one place for the topologies, the access policy and the command line
 * (docs/linkage.md).
 */
public enum LinkageScenario {
    /** 社会救助资格核对, run by 民政. */
    SOCIAL_ASSISTANCE_REVIEW(
            "social-assistance-review",
            "社会救助资格核对",
            "mz",
            List.of(
                    "mz.social-assistance",
                    "ga.vehicle-registration",
                    "scjg.business-registration",
                    "scjg.business-deregistration",
                    "rs.employment-registration",
                    "rs.pension-recipients",
                    "wj.death-registration"),
            List.of(Topics.LINKAGE_SOCIAL_ASSISTANCE_REVIEW)),
    /** 养老金静默认证, run by 人社. */
    PENSION_CERTIFICATION(
            "pension-certification",
            "养老金静默认证",
            "rs",
            List.of("rs.pension-recipients", "wj.death-registration", "yb.medical-settlement"),
            List.of(Topics.LINKAGE_PENSION_CERTIFICATION, Topics.LINKAGE_CERTIFICATION_RUNS));

    private final String id;
    private final String title;
    private final String owner;
    private final List<String> inputCatalogs;
    private final List<PeonyTopic> outputs;

    LinkageScenario(String id, String title, String owner, List<String> inputCatalogs, List<PeonyTopic> outputs) {
        this.id = id;
        this.title = title;
        this.owner = owner;
        this.inputCatalogs = inputCatalogs;
        this.outputs = outputs;
    }

    /** The name users type, e.g. {@code social-assistance-review}. */
    public String id() {
        return id;
    }

    /** The scenario's name as the city calls it. */
    public String title() {
        return title;
    }

    /** Code of the department that runs it and owns its outputs. */
    public String owner() {
        return owner;
    }

    public List<String> inputCatalogs() {
        return inputCatalogs;
    }

    /** The {@code shared.<catalog>} topics it reads. */
    public List<String> inputTopics() {
        return inputCatalogs.stream().map(Topics::shared).toList();
    }

    /** The topics it writes; the first is its main output. */
    public List<PeonyTopic> outputs() {
        return outputs;
    }

    /** The {@code application.id} when Peony runs it ({@code peony up}, or a cluster's own process). */
    public String applicationId() {
        return "peony-linkage-" + id;
    }

    /**
     * The {@code application.id} when the owner department runs it under its own principal: inside
     * the group, transactional-id and internal-topic prefix its ACLs allow ({@code <owner>.}).
     */
    public String departmentApplicationId() {
        return Topics.groupPrefixOf(owner) + "linkage." + id;
    }

    public static Optional<LinkageScenario> byId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }

    /** The ids, for messages that list what exists. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(LinkageScenario::id).toList();
    }
}
