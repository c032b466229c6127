@NullMarked
package dev.airlock.server.runtime;

import org.jspecify.annotations.NullMarked;
