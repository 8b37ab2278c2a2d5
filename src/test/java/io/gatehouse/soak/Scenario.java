package io.gatehouse.soak;

/**
 * One thing a client does, start to end, checking every answer against what it must be. Runs on
 * a driver thread and may block; stops at the first answer it cannot go on from (a failure by a
 * fault is tallied by the client, a wrong answer by the scenario).
 */
interface Scenario {

  void run(SoakContext soak) throws Exception;
}
