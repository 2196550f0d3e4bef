package city.heze.peony.registry;

import city.heze.peony.schemas.registry.RegisteredSchema;

/** One version of a subject as the registry holds it, soft-deleted or not. */
record StoredVersion(String subject, int version, int id, ParsedAvroSchema schema, boolean deleted) {

    RegisteredSchema toRegistered() {
        return new RegisteredSchema(subject, version, id, schema.canonical());
    }

    StoredVersion softDeleted() {
        return new StoredVersion(subject, version, id, schema, true);
    }
}
