/**
 * Multi-agent workflows: agents with roles, budgets and allowed tools, a flow between them (sequence, branch on a
 * CEL condition, parallel fan-out, bounded loop, hand-off to a human), and durable runs whose every model and tool
 * call is a Decision linked to the run and step. Entry: {@link dev.airlock.workflow.Workflows}; port
 * {@link dev.airlock.workflow.RunStore}.
 */
@NullMarked
package dev.airlock.workflow;

import org.jspecify.annotations.NullMarked;
