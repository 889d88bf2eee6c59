enum EvalRunnerModule {}
