/**
 * Stored responses of the Responses API: an answer kept so that a later call can continue its conversation
 * ({@code previous_response_id}) or fetch it again. Kept per tenant, for as long as the model's retention keeps
 * Decision content, encrypted under the data subject's key when the call named one. Port {@link ResponseStore}.
 */
@NullMarked
package dev.airlock.response;

import org.jspecify.annotations.NullMarked;
