@NullMarked
package dev.airlock.server.http;

import org.jspecify.annotations.NullMarked;
