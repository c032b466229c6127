/**
 * Incidents: a firing alert opens (or joins) its model's open incident, which names the owner and the runbook; people
 * acknowledge, assign, note and resolve it with a post-incident record; its timeline collects the alerts,
 * notifications, deployment changes and notes around it. Entry: {@link Incidents}; port {@link IncidentStore}.
 */
@NullMarked
package dev.airlock.incident;

import org.jspecify.annotations.NullMarked;
