@NullMarked
package dev.airlock.server.audit;

import org.jspecify.annotations.NullMarked;
