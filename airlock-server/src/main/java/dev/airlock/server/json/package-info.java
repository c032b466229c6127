@NullMarked
package dev.airlock.server.json;

import org.jspecify.annotations.NullMarked;
