/**
 * Share applications (共享申请) against their deadlines, and the timely-share rate (及时共享率).
 *
 * <p>Peony's rules, decided here where the city's rules leave room:
 *
 * <ul>
 *   <li><b>Deadlines</b> ({@link city.heze.peony.streams.share.ShareDeadlines}): the application's own
 *       {@code deadlineWorkingDays}, else the catalog entry's {@code shareDeadlineWorkingDays}, else
 *       {@code peony.share.deadline.catalog.<id>}, else {@code peony.share.deadline.<SHARE_TYPE>}, else
 *       10 working days. The deadline is fixed when the request arrives: a catalog changed later does
 *       not move it. It ends at 23:59:59.999 Asia/Shanghai of the Nth working day after the day of
 *       submission.
 *   <li><b>Share types</b>: CONDITIONAL needs an application; NOT_SHARED may be applied for (with a
 *       legal basis) and is owed an answer like any other; UNCONDITIONAL needs none, so a request for
 *       it is rejected unless {@code peony.share.deadline.UNCONDITIONAL} is configured.
 *   <li><b>Answers</b>: APPROVED, or REFUSED with a non-blank reason; a refusal without a reason is
 *       rejected to peony.rejected and is no answer. The earliest answer by its own time counts;
 *       duplicates and later answers change nothing.
 *   <li><b>Outcomes</b> ({@link city.heze.peony.streams.share.ApplicationState}): the earliest of the
 *       answer and the withdrawal decides: an answer at or before the deadline is TIMELY, after it
 *       LATE; a withdrawal at or before the deadline is WITHDRAWN, after an unanswered deadline the
 *       application stays OVERDUE; a withdrawal after an answer changes nothing. With neither, the
 *       application turns OVERDUE when the deadline passes by wall clock (a punctuator, no input
 *       needed), and an answer after that turns it LATE (a second record for the same key on the
 *       compacted outcomes topic). The result never depends on the order events arrive in.
 *   <li><b>Rates</b> ({@link city.heze.peony.streams.share.TimelyShareRateProcessor}): timely / due,
 *       due counting applications whose deadline fell in the period (Asia/Shanghai day or month, or
 *       [now-30d, now) by wall clock), answered or not; open applications before their deadline do
 *       not count yet; WITHDRAWN never counts; rate null when nothing was due.
 *   <li><b>Invalid input</b> (not Avro, an unknown schema, a key that is not the application id, an
 *       unknown catalog, a provider that is not the catalog's, a time before 2000 or more than a day
 *       ahead, a duplicate id for a different request, an UNKNOWN decision) goes to peony.rejected as
 *       a {@code Rejection} with its source topic, partition, offset and original bytes. Decisions
 *       whose request has not arrived wait for it (gauge {@code peony.share.decisions.unmatched}), at
 *       most {@code peony.share.unmatched.wait.ms} (default an hour), then are rejected ("no
 *       application A-404").
 *   <li><b>Who writes what</b> ({@link city.heze.peony.streams.share.ShareIngress}): a department
 *       writes only {@code peony.share.requests.<code>} and {@code peony.share.decisions.<code>};
 *       only Peony writes the canonical topics. A request must be in its writer's own name; a
 *       decision's {@code decidedBy} is stamped with its writer (or must equal it). On the canonical
 *       topic a decision with {@code decidedBy} must come from the provider (APPROVED, REFUSED,
 *       REVOKED) or the requester (WITHDRAWN); a null {@code decidedBy} was written by Peony and is
 *       trusted.
 *   <li><b>Access</b>: an accepted approval that decides the application grants the requester read
 *       access ({@code ShareGrant} on {@code peony.share.grants}) until the decision's {@code
 *       validUntil}, else {@code peony.share.access-validity} (default P365D) after it; a withdrawal
 *       after it or a revocation (provider, with a reason, only after an approval) ends it. Neither
 *       changes the outcome or the rates.
 * </ul>
 */
package city.heze.peony.streams.share;
