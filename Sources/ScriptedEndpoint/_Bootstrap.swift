enum ScriptedEndpointModule {}
