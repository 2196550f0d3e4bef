/**
 * Open data (issue 16): the records of OPEN catalogs, masked field by field as each catalog
 * declares, checked for personal information that survived, and published on {@code
 * open.<catalog>}; what fails a check is withheld to {@code peony.open.withheld} with its reasons,
 * and the open-qualified rate (开放合格率) is kept on {@code peony.open.rates}.
 */
package city.heze.peony.streams.opendata;
