@NullMarked
package dev.airlock.server.cli;

import org.jspecify.annotations.NullMarked;
