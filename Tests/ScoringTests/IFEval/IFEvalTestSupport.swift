import EvalCore
import Scoring
import Testing

/// Builds IFEval checks from specs, as the shipped suite does, and says what they decide.
enum IFEvalFixtures {
    static func check(_ instruction: String, _ options: [String: JSONValue] = [:]) throws -> any Check {
        try CheckRegistry.standard.make(CheckSpec(type: "ifeval:" + instruction, options: options))
    }

    static func outcome(_ instruction: String, _ options: [String: JSONValue] = [:], _ response: String) throws
        -> CheckOutcome
    {
        try check(instruction, options).evaluate(CheckInput(response: response))
    }

    static func passes(_ instruction: String, _ options: [String: JSONValue] = [:], _ response: String) throws -> Bool {
        try outcome(instruction, options, response).passed
    }

    /// The message of the configuration error building the check throws, or nil when it builds.
    static func configurationError(_ instruction: String, _ options: [String: JSONValue]) -> String? {
        do {
            _ = try check(instruction, options)
            return nil
        } catch let error as CheckConfigurationError {
            return error.message
        } catch {
            return "\(error)"
        }
    }
}
