package city.heze.peony.schemas.registry;

/** A subject and one of its versions, as in {@code GET /schemas/ids/{id}/versions}. */
public record SubjectVersion(String subject, int version) {}
