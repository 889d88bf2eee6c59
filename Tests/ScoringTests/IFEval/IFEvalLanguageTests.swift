import EvalCore
import Scoring
import Testing

@Suite struct IFEvalLanguageTests {
    @Test(arguments: [
        ("en", "The quick brown fox jumps over the lazy dog while the farmer watches from the porch."),
        ("ru", "Решетка - это что-то вроде сетки, которую можно нарисовать на бумаге."),
        ("bg", "Бронкос толкова се провалиха тази година, че върху витрината за трофеи се събира прах."),
        ("de", "Sie machen einen Fehler, wenn Sie unsere Käseprodukte nicht kaufen, und ich zeige Ihnen warum."),
        ("it", "Nave bianca danza sul mare in notte stellata, un sogno naviga."),
        ("pt", "Adão e Eva são figuras centrais nas tradições judaicas, cristãs e islâmicas."),
        ("vi", "Chúng tôi có thể có khả năng cải thiện mô hình của mình cho năm sau."),
        ("sw", "Kwa nini pete ya uchumba ni kama mpira wa miguu? Kwa sababu unahitaji mchezaji wa pili."),
        (
            "fi",
            "Kun haistat kukkaa, tapahtuu monia asioita. Ensimmäinen asia on, että sinun täytyy tuoda nenäsi lähelle."
        ),
        ("hi", "मैं आपके खानपान की गुणवत्ता के बारे में अपनी भावनाओं को व्यक्त करने के लिए यह पत्र लिख रहा हूं।"),
        ("mr", "कामाला धावतो, वेळ नाही थांबायला, उद्योगी जीवन."),
        ("ne", "बिहान उडानले काठमाडौंबाट बिराटनगर जानुहोस्। बिराटनगर पुगेपछि होटलमा विश्राम गर्नुहोस्।"),
        ("ar", "تسعى الشركة إلى توسيع نطاق عملياتها لتشمل أسواقًا جديدة."),
        ("fa", "یودا، مرد کوچک سبز، در جهانی دیگر با قدرتی بیکران، از جادویی ستارگان"),
        ("ko", "제방과 방조제의 차이점은 무엇일까요? 제방은 주로 물을 막거나 통제하기 위해 만들어진 인공적인 구조물입니다."),
        ("th", "ฉันเป็นสิ่งที่คุณใช้เพื่อจัดระเบียบข้อมูล คุณสามารถเพิ่มแถวและคอลัมน์ได้ตามต้องการ"),
        ("ta", "இந்த படம் ஒரு மாபெரும் மன்னனின் வாழ்க்கை வரலாற்றைப் பற்றியது."),
        ("kn", "ಹೌದು, ಹ್ಯಾಂಬರ್ಗರ್ಗಳು ಸ್ಯಾಂಡ್ವಿಚ್ಗಳು. ಅವು ಎರಡು ಬ್ರೆಡ್ ಹಿಂಡಿಗೆ ಮಾಂಸ ಅಥವಾ ಇತರ ಪದಾರ್ಥಗಳನ್ನು ಹೊಂದಿವೆ."),
    ])
    func identifiesTheLanguage(_ language: String, _ text: String) throws {
        #expect(try IFEvalFixtures.passes("language:response_language", ["language": .string(language)], text))
    }

    @Test func romanizedUrduIsNotUrdu() throws {
        let outcome = try IFEvalFixtures.outcome(
            "language:response_language", ["language": "ur"],
            "Person 1: Salam, kya haal hai? Maine suna hai ke tumne nayi kitab parhi hai. Kaisi lagi?")
        #expect(!outcome.passed)
        #expect(outcome.findings.first?.ruleID == "ifeval.language.response_language")
        #expect(outcome.findings.first?.message.hasSuffix("expected 'ur'") == true)
    }

    @Test func aTextWithoutLettersPasses() throws {
        #expect(try IFEvalFixtures.passes("language:response_language", ["language": "de"], "1234 — 5678!"))
    }

    @Test func unknownLanguageCodesAreConfigurationErrors() {
        #expect(
            IFEvalFixtures.configurationError("language:response_language", ["language": "xx"])?.hasPrefix(
                "option 'language' of check 'ifeval:language:response_language' expects one of af, ar, bg") == true)
        #expect(
            IFEvalFixtures.configurationError("language:response_language", [:])
                == "check 'ifeval:language:response_language' needs option 'language' (a string)")
    }
}
