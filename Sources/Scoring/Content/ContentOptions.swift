extension CheckOptions {
    /// A required, non-empty string: `contains` with `value: ""` would pass every answer, which is never meant.
    mutating func nonEmptyString(_ key: String) throws(CheckConfigurationError) -> String {
        let value = try string(key)
        guard !value.isEmpty else {
            throw CheckConfigurationError("option '\(key)' of check '\(type)' must not be empty")
        }
        return value
    }

    /// A required, non-empty list of non-empty strings (a single string is a list of one).
    mutating func nonEmptyStrings(_ key: String) throws(CheckConfigurationError) -> [String] {
        let values = try strings(key)
        guard !values.contains(where: \.isEmpty) else {
            throw CheckConfigurationError("option '\(key)' of check '\(type)' must not contain an empty string")
        }
        return values
    }

    /// `ignore_case`, false unless set.
    mutating func ignoreCase() throws(CheckConfigurationError) -> Bool {
        try bool("ignore_case", default: false)
    }

    /// A compiled regular expression from option `key`; an invalid one is a configuration error quoting it.
    mutating func pattern(_ key: String, ignoreCase: Bool) throws(CheckConfigurationError) -> TextPattern {
        let source = try nonEmptyString(key)
        do {
            return try TextPattern(source, ignoreCase: ignoreCase)
        } catch {
            throw CheckConfigurationError(
                "option '\(key)' of check '\(type)' is not a valid regular expression '\(source)': \(error.reason)"
            )
        }
    }
}
