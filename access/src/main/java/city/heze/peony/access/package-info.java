/**
 * Departments as Kafka principals ({@code User:<code>}) and the access they get: Kafka ACLs computed
 * from the catalogs and the share grants as desired state, and reconciled against the broker.
 */
package city.heze.peony.access;
