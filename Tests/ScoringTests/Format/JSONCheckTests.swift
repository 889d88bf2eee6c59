import EvalCore
import Scoring
import Testing

@Suite struct FormatJSONCheckTests {
    @Test func validJSONPasses() throws {
        #expect(try ContentFormatFixtures.evaluate("json", [:], #"{"status": "в пути", "eta_days": 2}"#) == .pass)
        #expect(try ContentFormatFixtures.evaluate("json", [:], "\n[{\"answer\": \"yes\"}, null, 3.5]\n") == .pass)
    }

    @Test func aSingleFencedBlockIsUnwrapped() throws {
        let fenced = "```json\n{\"status\": \"в пути\"}\n```\n"
        #expect(try ContentFormatFixtures.evaluate("json", [:], fenced) == .pass)
        #expect(try ContentFormatFixtures.evaluate("json", [:], "```\n{\"status\": \"shipped\"}\n```") == .pass)
        let strict = try ContentFormatFixtures.evaluate("json", ["allow_fence": false], fenced)
        #expect(
            strict
                == .fail(
                    Finding(
                        ruleID: "format.json.invalid",
                        message: "not valid JSON: invalid JSON at byte 0",
                        span: TextSpan(start: 0, end: 1),
                        text: "`"
                    )
                )
        )
        // Another language, or text around the block, is not JSON.
        #expect(try ContentFormatFixtures.evaluate("json", [:], "```python\n{\"a\": 1}\n```").passed == false)
        #expect(try ContentFormatFixtures.evaluate("json", [:], "Вот ответ:\n```json\n{\"a\": 1}\n```").passed == false)
    }

    @Test func invalidJSONPointsAtTheFirstBadByte() throws {
        let trailingComma = MarkedAnswer(#"{"status": "в пути",1️⃣}"#)
        #expect(
            try ContentFormatFixtures.evaluate("json", [:], trailingComma.text).findings == [
                trailingComma.finding("format.json.invalid", "not valid JSON: invalid JSON at byte 25", at: 1, "}")
            ]
        )
        let truncated = MarkedAnswer("```json\n{\"items\": [1, 2\n1️⃣```")
        #expect(
            try ContentFormatFixtures.evaluate("json", [:], truncated.text).findings == [
                truncated.finding(
                    "format.json.invalid", "not valid JSON: unexpected end of JSON at byte 24", at: 1, "`")
            ]
        )
        let prose = try ContentFormatFixtures.evaluate("json", [:], "Вот ответ: {\"a\": 1}")
        #expect(
            prose.findings == [
                Finding(
                    ruleID: "format.json.invalid",
                    message: "not valid JSON: invalid JSON at byte 0",
                    span: TextSpan(start: 0, end: 2),
                    text: "В"
                )
            ]
        )
        let empty = try ContentFormatFixtures.evaluate("json", [:], "")
        #expect(
            empty.findings == [
                Finding(
                    ruleID: "format.json.invalid",
                    message: "not valid JSON: unexpected end of JSON at byte 0",
                    span: TextSpan(start: 0, end: 0),
                    text: ""
                )
            ]
        )
    }

    let orderSchema: JSONValue = [
        "type": "object",
        "required": ["status", "items"],
        "additionalProperties": false,
        "properties": [
            "status": ["enum": ["в пути", "доставлен"]],
            "items": [
                "type": "array",
                "minItems": 1,
                "items": [
                    "type": "object",
                    "required": ["sku", "price"],
                    "additionalProperties": false,
                    "properties": [
                        "sku": ["type": "string", "pattern": #"^[A-Z]{3}-\d+$"#],
                        "price": ["type": "number", "exclusiveMinimum": 0],
                    ],
                ],
            ],
        ],
    ]

    @Test func schemaViolationsNameThePathAndSpanTheValue() throws {
        let answer = MarkedAnswer(
            """
            {"status": 1️⃣"потерян", "items": [{"sku": "ABC-1", "price": 10}, {"sku": 2️⃣"abc", "price": 3️⃣0},
              {"sku": "XYZ-9", "price": 4️⃣"12", "note": 5️⃣"срочно"}, {"price": 1}], "extra": 6️⃣true}
            """
        )
        let outcome = try ContentFormatFixtures.evaluate("json", ["schema": orderSchema], answer.text)
        #expect(
            outcome.findings == [
                answer.finding("format.json.schema", "at '/items/1/price': expected more than 0, found 0", at: 3, "0"),
                answer.finding(
                    "format.json.schema",
                    #"at '/items/1/sku': expected a string matching '^[A-Z]{3}-\d+$', found "abc""#,
                    at: 2,
                    #""abc""#
                ),
                answer.finding(
                    "format.json.schema", "at '/items/2/price': expected number, found string", at: 4, #""12""#),
                answer.finding("format.json.schema", "at '/items/2/note': unexpected property", at: 5, #""срочно""#),
                Finding(
                    ruleID: "format.json.schema", message: "at '/items/3': missing required property 'sku'", text: "sku"
                ),
                answer.finding(
                    "format.json.schema",
                    #"at '/status': expected one of "в пути", "доставлен", found "потерян""#,
                    at: 1,
                    #""потерян""#
                ),
                answer.finding("format.json.schema", "at '/extra': unexpected property", at: 6, "true"),
            ]
        )
        let good = #"{"status": "в пути", "items": [{"sku": "ABC-1", "price": 10.5}]}"#
        #expect(try ContentFormatFixtures.evaluate("json", ["schema": orderSchema], good) == .pass)
    }

    @Test func typesLengthsBoundsAndConst() throws {
        let schema: JSONValue = [
            "type": "object",
            "properties": [
                "eta_days": ["type": ["integer", "null"], "minimum": 0, "maximum": 30],
                "comment": ["type": "string", "minLength": 3, "maxLength": 10],
                "tags": ["type": "array", "maxItems": 1],
                "ok": ["const": true],
            ],
        ]
        let answer = MarkedAnswer(#"{"eta_days": 1️⃣3.5, "comment": 2️⃣"Да", "tags": 3️⃣["a", "b"], "ok": 4️⃣false}"#)
        #expect(
            try ContentFormatFixtures.evaluate("json", ["schema": schema], answer.text).findings == [
                answer.finding(
                    "format.json.schema", "at '/comment': expected at least 3 characters, found 2", at: 2, #""Да""#),
                answer.finding(
                    "format.json.schema", "at '/eta_days': expected integer or null, found number", at: 1, "3.5"),
                answer.finding("format.json.schema", "at '/ok': expected true, found false", at: 4, "false"),
                answer.finding(
                    "format.json.schema", "at '/tags': expected at most 1 item, found 2", at: 3, #"["a", "b"]"#),
            ]
        )
        let passing = #"{"eta_days": null, "comment": "Привет", "tags": [], "ok": true}"#
        #expect(try ContentFormatFixtures.evaluate("json", ["schema": schema], passing) == .pass)
        #expect(try ContentFormatFixtures.evaluate("json", ["schema": schema], #"{"eta_days": 2.0}"#) == .pass)
        let late = try ContentFormatFixtures.evaluate("json", ["schema": schema], #"{"eta_days": 31}"#)
        #expect(late.findings.map(\.message) == ["at '/eta_days': expected at most 30, found 31"])
        let root = try ContentFormatFixtures.evaluate("json", ["schema": schema], #"["a"]"#)
        #expect(
            root.findings == [
                Finding(
                    ruleID: "format.json.schema",
                    message: "at '/': expected object, found array",
                    span: TextSpan(start: 0, end: 5),
                    text: #"["a"]"#
                )
            ]
        )
    }

    @Test func badSchemasAreRejectedWhenTheCheckIsBuilt() {
        #expect(
            ContentFormatFixtures.configurationError("json", ["schema": ["type": "object", "oneOf": []]])
                == "option 'schema' of check 'json' is invalid at '/': unknown keyword 'oneOf'; supported keywords: "
                + "additionalProperties, const, enum, exclusiveMaximum, exclusiveMinimum, items, maxItems, maxLength, "
                + "maximum, minItems, minLength, minimum, pattern, properties, required, type "
                + "(annotations $comment, $id, $schema, default, description, examples, title are ignored)"
        )
        #expect(
            ContentFormatFixtures.configurationError("json", ["schema": ["properties": ["price": ["type": "float"]]]])
                == "option 'schema' of check 'json' is invalid at '/properties/price': "
                + "'type' expects one of object, array, string, number, integer, boolean, null, found 'float'"
        )
        #expect(
            ContentFormatFixtures.configurationError("json", ["schema": ["items": ["pattern": "[A-Z"]]])
                == "option 'schema' of check 'json' is invalid at '/items': "
                + "'pattern' is not a valid regular expression '[A-Z': expected ']'"
        )
        #expect(
            ContentFormatFixtures.configurationError("json", ["schema": ["minItems": -1]])
                == "option 'schema' of check 'json' is invalid at '/': 'minItems' expects a non-negative integer, found -1"
        )
        #expect(
            ContentFormatFixtures.configurationError("json", ["schema": ["required": "status"]])
                == "option 'schema' of check 'json' is invalid at '/': 'required' expects a list of strings, found string"
        )
        #expect(
            ContentFormatFixtures.configurationError("json", ["schema": "object"])
                == "option 'schema' of check 'json' expects an object (a JSON Schema), found string"
        )
        #expect(
            ContentFormatFixtures.configurationError("json", ["allow_fence": 1])
                == "option 'allow_fence' of check 'json' expects true or false, found integer"
        )
        // Annotations are fine.
        #expect(
            ContentFormatFixtures.configurationError("json", ["schema": ["title": "Order", "type": "object"]]) == nil)
    }
}
