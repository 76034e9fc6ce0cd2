/** The development stack used by npm start/stop, the test harness and the bench. */
export {};
