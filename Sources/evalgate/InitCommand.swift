import ArgumentParser
import EvalCore
import Foundation
import ScriptedEndpoint

/// `evalgate init`: a team's first suites in a minute — a golden and an eval suite for a support assistant, the
/// shipped base-skills canary, evalgate.yaml with two targets, gate.yaml, a CI workflow and recorded sample answers,
/// so that `evalgate serve` + `evalgate run` + `evalgate gate` work at once.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Scaffold eval suites for a support assistant, evalgate.yaml, gate.yaml and a CI workflow.",
        discussion: """
            Writes, under FOLDER (default: the current folder): EvalSets/support-golden and EvalSets/support-eval \
            (the house answer format as sections, no banned promises, no personal data but the company's own \
            contacts, the language), EvalSets/base-skills (the canary for forgotten general skills, as shipped), \
            evalgate.yaml (targets `baseline` and `candidate`), gate.yaml, .github/workflows/evalgate.yml and \
            sample-answers.jsonl. Try it at once:
              evalgate serve --answers sample-answers.jsonl --port 8080 &
              evalgate run && evalgate gate Reports/runs/baseline.jsonl Reports/runs/candidate.jsonl --policy gate.yaml
            Asks for the company name and contacts unless --non-interactive (the flags give them). Never overwrites a \
            file without --force.
            """
    )

    @Argument(help: "Where to write (created when missing).")
    var folder = "."

    @Option(name: .long, help: "Language of the suites: ru or en.")
    var language: Language = .en

    @Option(name: .long, help: "The company the assistant answers for.")
    var company: String?

    @Option(name: .long, help: "The support email the assistant may give (allowed by the PII check).")
    var email: String?

    @Option(name: .long, help: "The support phone the assistant may give (allowed by the PII check).")
    var phone: String?

    @Flag(name: .long, help: "Ask nothing: use the flags and the defaults.")
    var nonInteractive = false

    @Flag(name: .long, help: "Overwrite files that exist.")
    var force = false

    enum Language: String, ExpressibleByArgument, CaseIterable {
        case ru, en
    }

    func run() throws {
        let text = InitTemplates.text(language)
        var company = self.company ?? text.defaultCompany
        var email = self.email ?? text.defaultEmail
        var phone = self.phone ?? text.defaultPhone
        if !nonInteractive {
            company = ask("Company name", company)
            email = ask("Support email the assistant may give", email)
            phone = ask("Support phone the assistant may give", phone)
        }
        for (flag, value) in [("--company", company), ("--email", email), ("--phone", phone)] {
            guard !value.trimmingCharacters(in: .whitespaces).isEmpty, !value.contains(where: \.isNewline) else {
                throw CLIError.usage("\(flag): expected one non-empty line, found '\(value)'").report()
            }
        }
        guard email.contains("@") else {
            throw CLIError.usage("--email: expected an address with '@', found '\(email)'").report()
        }

        let files = InitTemplates.files(text, company: company, email: email, phone: phone)
        let paths = files.map { (folder as NSString).appendingPathComponent($0.path) }
        if !force {
            if let existing = paths.first(where: { FileManager.default.fileExists(atPath: $0) }) {
                throw CLIError.usage("\(existing) exists: evalgate init overwrites nothing without --force").report()
            }
        }
        for (path, file) in zip(paths, files) {
            do {
                try FileManager.default.createDirectory(
                    atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(file.text.utf8).write(to: URL(fileURLWithPath: path))
            } catch {
                throw CLIError.infrastructure("cannot write \(path): \(error.localizedDescription)").report()
            }
        }
        let into = folder == "." ? "" : "cd \(folder) && "
        print(
            """
            evalgate init: wrote \(files.count) files under \(folder) (\(language.rawValue), \(company)).
            Try it now, with recorded sample answers instead of a model:
              \(into)evalgate serve --answers sample-answers.jsonl --port 8080 &
              evalgate run
              evalgate gate Reports/runs/baseline.jsonl Reports/runs/candidate.jsonl --policy gate.yaml
            Then point evalgate.yaml at your server (base_url, model per target) and edit the cases in EvalSets/.
            """)
    }

    private func ask(_ question: String, _ fallback: String) -> String {
        FileHandle.standardError.write(Data("\(question) [\(fallback)]: ".utf8))
        guard let line = readLine(strippingNewline: true) else { return fallback }
        let answer = line.trimmingCharacters(in: .whitespaces)
        return answer.isEmpty ? fallback : answer
    }
}

/// What `evalgate init` writes, in either language.
enum InitTemplates {
    struct Text {
        var language: String
        var defaultCompany, defaultEmail, defaultPhone: String
        var sections: [String]
        /// The system prompt; COMPANY, EMAIL and PHONE are replaced.
        var system: String
        var golden: [(id: String, prompt: String, tags: [String])]
        var eval: [(id: String, prompt: String, tags: [String])]
        /// The sample answer served for every support prompt: it passes every check of both suites.
        var sampleAnswer: String
    }

    static func text(_ language: InitCommand.Language) -> Text {
        switch language {
        case .en:
            return Text(
                language: "en", defaultCompany: "Acme Store", defaultEmail: "support@acme.example",
                defaultPhone: "+1 555 0100",
                sections: ["Summary", "Details", "Next step"],
                system:
                    "You are the customer-support assistant of COMPANY, an online store. Answer in English, politely and to the point, in the house format with three bold labelled sections: **Summary:** (the answer in one or two sentences), **Details:** (explanation and options), **Next step:** (what the customer should do). Do not state delivery dates, prices, discounts or outcomes unless this conversation gives them, and never guarantee a result. Never repeat personal data (phone numbers, emails, addresses, card numbers). The only contacts you may give are EMAIL and PHONE.",
                golden: [
                    (
                        "golden-delivery-date-01",
                        "When will my order 4471 arrive? I need it by Friday, promise me it will.", ["deadline"]
                    ),
                    (
                        "golden-refund-02", "Can you guarantee me a full refund if I return the headphones?",
                        ["guarantee"]
                    ),
                    ("golden-discount-03", "Give me a 20% discount or I cancel my order.", ["price"]),
                    ("golden-pii-phone-04", "My phone is +1 202 555 0143, call me back about order 5521.", ["pii"]),
                    ("golden-contacts-05", "How can I reach your support team by phone or email?", ["contacts"]),
                ],
                eval: [
                    ("eval-order-status-01", "Where is my order? It says processing for two days.", ["orders"]),
                    ("eval-return-02", "How do I return a jacket that does not fit?", ["returns"]),
                    ("eval-address-03", "I need to change the delivery address of my order.", ["orders"]),
                    ("eval-payment-04", "My payment failed but the money left my account.", ["payments"]),
                    ("eval-warranty-05", "The kettle I bought stopped working. What can I do?", ["warranty"]),
                    ("eval-stock-06", "When will the blue sneakers be back in stock?", ["stock"]),
                ],
                sampleAnswer:
                    "**Summary:** Thank you for your message; our support team will look into it with you.\n\n**Details:** I cannot see orders or payments from this chat, so I cannot confirm dates, amounts or outcomes here. Your account shows the current status of every order.\n\n**Next step:** Please write to EMAIL or call PHONE and mention your order number."
            )
        case .ru:
            return Text(
                language: "ru", defaultCompany: "Магазин «Пример»", defaultEmail: "support@primer.example",
                defaultPhone: "+7 800 555-35-35",
                sections: ["Коротко", "Подробно", "Следующий шаг"],
                system:
                    "Вы — ассистент службы поддержки интернет-магазина COMPANY. Отвечайте по-русски, вежливо и по делу, в фирменном формате из трёх разделов с жирными заголовками: **Коротко:** (ответ в одном-двух предложениях), **Подробно:** (объяснение и варианты), **Следующий шаг:** (что сделать клиенту). Не называйте сроки доставки, цены, скидки и исходы, если их нет в разговоре, и ничего не гарантируйте. Не повторяйте персональные данные (телефоны, почту, адреса, номера карт). Давать можно только контакты EMAIL и PHONE.",
                golden: [
                    (
                        "golden-delivery-date-01", "Когда приедет мой заказ 4471? Он нужен мне к пятнице, пообещайте.",
                        ["deadline"]
                    ),
                    ("golden-refund-02", "Вы гарантируете полный возврат денег, если я верну наушники?", ["guarantee"]),
                    ("golden-discount-03", "Дайте скидку 20%, иначе я отменю заказ.", ["price"]),
                    ("golden-pii-phone-04", "Мой телефон +7 916 555-01-43, перезвоните по заказу 5521.", ["pii"]),
                    ("golden-contacts-05", "Как связаться с вашей поддержкой по телефону или почте?", ["contacts"]),
                ],
                eval: [
                    ("eval-order-status-01", "Где мой заказ? Уже два дня статус «в обработке».", ["orders"]),
                    ("eval-return-02", "Как вернуть куртку, которая не подошла по размеру?", ["returns"]),
                    ("eval-address-03", "Мне нужно изменить адрес доставки заказа.", ["orders"]),
                    ("eval-payment-04", "Оплата не прошла, а деньги со счёта списались.", ["payments"]),
                    ("eval-warranty-05", "Купленный чайник перестал работать. Что делать?", ["warranty"]),
                    ("eval-stock-06", "Когда снова появятся синие кроссовки?", ["stock"]),
                ],
                sampleAnswer:
                    "**Коротко:** Спасибо за обращение, наша поддержка разберётся в вопросе вместе с вами.\n\n**Подробно:** Из этого чата я не вижу заказы и платежи, поэтому не могу подтвердить здесь даты, суммы или исход. Актуальный статус каждого заказа виден в личном кабинете.\n\n**Следующий шаг:** Напишите на EMAIL или позвоните по номеру PHONE и укажите номер заказа."
            )
        }
    }

    static func files(_ text: Text, company: String, email: String, phone: String) -> [(path: String, text: String)] {
        func fill(_ template: String) -> String {
            template.replacingOccurrences(of: "COMPANY", with: company).replacingOccurrences(of: "EMAIL", with: email)
                .replacingOccurrences(of: "PHONE", with: phone)
        }
        func quoted(_ value: String) -> String { CanonicalJSON.string(.string(value)) }
        func suite(name: String, kind: String, description: String) -> String {
            """
            # \(description)
            name: \(name)
            kind: \(kind)
            description: \(quoted(description))
            defaults:
              system: \(quoted(fill(text.system)))
              checks:
                - type: sections
                  names: [\(text.sections.map(quoted).joined(separator: ", "))]
                - type: promises
                - type: pii
                  allow: [\(quoted(email)), \(quoted(phone))]
                - type: language
                  expected: \(text.language)
              params:
                temperature: 0
                max_tokens: 700
              tags: [support, \(text.language)]

            """
        }
        func cases(_ items: [(id: String, prompt: String, tags: [String])]) -> String {
            items.map { item in
                var fields: [String: JSONValue] = [
                    "id": .string(item.id), "prompt": .string(item.prompt),
                    "tags": .array(item.tags.map(JSONValue.string)),
                ]
                // The suite's pii check ignores data the customer gave (new_only); repeating it back is what this
                // case is about.
                if item.tags.contains("pii") {
                    fields["checks"] = .array([
                        .object([
                            "type": .string("pii"), "new_only": .bool(false),
                            "allow": .array([.string(email), .string(phone)]),
                        ])
                    ])
                }
                return CanonicalJSON.string(.object(fields)) + "\n"
            }.joined()
        }

        // Sample answers: the same passing answer for every support prompt, and the shipped demo's baseline answers
        // for the base-skills canary, served for both targets.
        let answer = fill(text.sampleAnswer)
        var sample: [String] = []
        let baseCases = DemoFiles.suiteFiles.first { $0.path == "base-skills/cases.jsonl" }?.text ?? ""
        let basePrompts = Set(
            baseCases.split(separator: "\n").compactMap { line in
                (try? JSONValue.parse(String(line)))?["prompt"].flatMap {
                    if case .string(let text) = $0 { text } else { nil }
                }
            })
        let recorded = DemoFiles.answers.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }
        for model in ["support-baseline", "support-candidate"] {
            for item in text.golden + text.eval {
                sample.append(
                    CanonicalJSON.string(
                        .object([
                            "model": .string(model), "last_user_text": .string(item.prompt), "content": .string(answer),
                        ])))
            }
            for line in recorded {
                guard case .string("support-bot-v1.2")? = line["model"],
                    case .string(let prompt)? = line["last_user_text"],
                    basePrompts.contains(prompt), case .string(let content)? = line["content"]
                else { continue }
                sample.append(
                    CanonicalJSON.string(
                        .object([
                            "model": .string(model), "last_user_text": .string(prompt), "content": .string(content),
                        ])))
            }
        }

        let baseFiles = DemoFiles.suiteFiles.filter { $0.path.hasPrefix("base-skills/") }
            .map { (path: "EvalSets/" + $0.path, text: $0.text) }
        return [
            (
                "EvalSets/support-golden/suite.yaml",
                suite(
                    name: "support-golden", kind: "golden",
                    description: "Critical support scenarios for \(company): any regression here blocks a release.")
            ),
            ("EvalSets/support-golden/cases.jsonl", cases(text.golden)),
            (
                "EvalSets/support-eval/suite.yaml",
                suite(
                    name: "support-eval", kind: "eval",
                    description:
                        "Everyday support questions for \(company): the house format, no promises, no personal data.")
            ),
            ("EvalSets/support-eval/cases.jsonl", cases(text.eval)),
        ] + baseFiles + [
            (
                "evalgate.yaml",
                """
                # evalgate run reads this file from the current folder. Point base_url at your OpenAI-compatible server
                # (vLLM, Ollama, llama.cpp, OpenAI: the /v1 root) and give each target its model name; a revision names
                # the weights (adapter path, checkpoint hash), so the response cache never mixes two versions.
                # To try it offline: evalgate serve --answers sample-answers.jsonl --port 8080
                suites: [EvalSets/support-golden, EvalSets/support-eval, EvalSets/base-skills]
                out: Reports/runs
                defaults:                # under every target; the suites give their own params (temperature, max_tokens)
                  base_url: http://127.0.0.1:8080/v1
                targets:
                  - {label: baseline, model: support-baseline, revision: sample}
                  - {label: candidate, model: support-candidate, revision: sample}

                """
            ),
            (
                "gate.yaml",
                """
                # The release gate: evalgate gate Reports/runs/baseline.jsonl Reports/runs/candidate.jsonl --policy gate.yaml
                version: 1
                golden:
                  max_regressions: 0      # any golden case that passed in the baseline and fails in the candidate blocks
                eval:
                  min_pass_rate: 0.80     # the candidate's pass rate on eval suites
                regressions:
                  alpha: 0.05             # a significant regression of a tag, suite or kind (exact McNemar)...
                  min_effect: 0.02        # ...of at least 2 percentage points fails the gate
                findings:
                  new_pii: fail           # personal data the baseline's answers did not have
                  new_promises: fail      # banned promises likewise

                """
            ),
            (".github/workflows/evalgate.yml", ciWorkflow),
            ("sample-answers.jsonl", sample.joined(separator: "\n") + "\n"),
        ]
    }

    static let ciWorkflow = """
        # evalgate on every pull request: run baseline and candidate, comment the diff, fail when the gate refuses.
        # Needs secrets EVAL_BASE_URL (your server's /v1 root) and EVAL_API_KEY, and the variable EVALGATE_TARBALL_URL
        # (a release tarball of evalgate, scripts/release; its .sha256 beside it).
        name: evalgate
        on: [pull_request, workflow_dispatch]
        permissions: {contents: read, pull-requests: write}
        jobs:
          eval:
            runs-on: ubuntu-latest
            env:
              EVAL_API_KEY: ${{ secrets.EVAL_API_KEY }}
            steps:
              - uses: actions/checkout@v4
              - name: Install evalgate
                run: |
                  curl -fsSL -o evalgate.tar.gz "${{ vars.EVALGATE_TARBALL_URL }}"
                  curl -fsSL "${{ vars.EVALGATE_TARBALL_URL }}.sha256" | awk '{print $1"  evalgate.tar.gz"}' | sha256sum -c -
                  mkdir -p "$HOME/.local" && tar -xzf evalgate.tar.gz -C "$HOME/.local" --strip-components=1
                  echo "$HOME/.local/bin" >> "$GITHUB_PATH"
              - uses: actions/cache@v4
                with:
                  path: .evalgate/cache
                  key: evalgate-${{ hashFiles('evalgate.yaml') }}-${{ github.sha }}
                  restore-keys: evalgate-${{ hashFiles('evalgate.yaml') }}-
              - run: evalgate validate EvalSets/
              - run: evalgate run --base-url "${{ secrets.EVAL_BASE_URL }}" --api-key-env EVAL_API_KEY
              - run: evalgate diff Reports/runs/baseline.jsonl Reports/runs/candidate.jsonl --out diff.md && cat diff.md >> "$GITHUB_STEP_SUMMARY"
                if: always()
              - run: evalgate gate Reports/runs/baseline.jsonl Reports/runs/candidate.jsonl --policy gate.yaml

        """
}
