"""Lines of everyday film dialogue in many languages, for the encoding-detection matrix.

Each language has ten lines written for these tests, the kind of thing a
subtitle says: short, spoken, with the accented letters, punctuation and
symbols that subtitle files in that language carry. :data:`CELLS` pairs each
language with the legacy code pages its subtitle files are found in, and
:func:`srt_bytes` builds an SRT file from the lines.
"""

from __future__ import annotations

import unicodedata

__all__ = ["CELLS", "LINES", "encode_legacy", "short_files", "srt_bytes", "srt_text"]

LINES: dict[str, tuple[str, ...]] = {
    "fr": (
        "Où est la gare ? Je suis perdu…",
        "Ça va, ne t'inquiète pas pour moi.",
        "Tu as vu le cœur de ce gâteau ? Il est à la crème.",
        "— Qu'est-ce que tu fais là ?",
        "Je préfère rester à la maison ce soir.",
        "Il a fêté son anniversaire au café d'en face.",
        "Arrête ! Tu vas réveiller les enfants.",
        "C'était un garçon très sage, très naïf.",
        "On se voit après-demain, d'accord ?",
        "Elle a été élue déléguée de sa sœur… enfin, de sa classe.",
    ),
    "de": (
        "Wo bist du gewesen? Ich habe mir Sorgen gemacht.",
        "Das ist überhaupt nicht lustig.",
        "Können wir morgen früh darüber reden?",
        "Mein Bruder wohnt jetzt in München.",
        "Hör auf! Du machst alles nur schlimmer.",
        "Ich weiß nicht, ob das eine gute Idee ist.",
        "Die Straße ist gesperrt, wir müssen umdrehen.",
        "Schön, dich wiederzusehen, Jürgen.",
        "Wir haben keine Zeit für Spielchen.",
        "Möchtest du noch ein Stück Käsekuchen?",
    ),
    "es": (
        "¿Dónde estabas anoche?",
        "¡No me digas que otra vez llegas tarde!",
        "Mañana te llamo, te lo prometo.",
        "El niño está en la habitación de al lado.",
        "¿Por qué nunca me cuentas nada?",
        "Así no vamos a ningún sitio, José.",
        "Tengo que irme, ya es muy tarde.",
        "La canción que sonaba era de mi abuela.",
        "¿Quién te ha dicho eso?",
        "Pensé que éramos amigos.",
    ),
    "pt": (
        "Você não entende nada, não é?",
        "Não faço ideia de onde ele está.",
        "Estou com saudades da minha família.",
        "A situação está pior do que pensávamos.",
        "Precisamos de uma solução já.",
        "Ele não quer falar com ninguém.",
        "Até amanhã, e obrigado por tudo.",
        "Que horas são? Estou atrasado.",
        "A minha irmã mora em São Paulo.",
        "Ninguém sabe o que aconteceu naquela noite.",
    ),
    "it": (
        "Perché non mi hai chiamato?",
        "È già tardi, dobbiamo andare.",
        "Non è colpa mia, te lo giuro.",
        "Però, che bella città!",
        "Cosa farai domani sera?",
        "Lui è più alto di suo padre.",
        "Sì, lo so, ma non posso aiutarti.",
        "La verità è che avevo paura.",
        "Andiamo al caffè qui all'angolo.",
        "Così non funzionerà mai.",
    ),
    "nl": (
        "Waar was je gisteravond?",
        "Ik heb geen idee wat er gebeurd is.",
        "Hé, wacht even op mij!",
        "Dat is echt een geweldig idee.",
        "We moeten nu gaan, anders missen we de trein.",
        "Zij heeft het café van haar oom overgenomen.",
        "Ben je ooit in België geweest?",
        "Ik ga er niet meer naartoe, nooit meer.",
        "Het spijt me, ik wist het niet.",
        "Zullen we morgen samen ontbijten?",
    ),
    "da": (
        "Hvor har du været hele dagen?",
        "Jeg kan ikke høre, hvad du siger.",
        "Det er ikke min skyld, vel?",
        "Vi ses på søndag ved søen.",
        "Hun går på skole i Århus.",
        "Må jeg låne din cykel i morgen?",
        "Jeg har aldrig været så bange.",
        "Kom nu, vi skal nå toget.",
        "Hvad laver du her så sent?",
        "Min bror bor på en gård på Fyn.",
    ),
    "sv": (
        "Var har du varit hela kvällen?",
        "Jag förstår inte vad du menar.",
        "Vi måste gå nu, annars blir vi sena.",
        "Hon är så söt när hon skrattar.",
        "Får jag följa med till stan?",
        "Det här är inte ditt fel.",
        "Min pappa bor i Göteborg.",
        "Öppna dörren, det är jag!",
        "Vad ska vi äta i kväll?",
        "Jag har längtat efter dig.",
    ),
    "no": (
        "Hvor har du vært hele natta?",
        "Jeg vet ikke hva jeg skal gjøre.",
        "Vi møtes på stasjonen klokka åtte.",
        "Det er så kaldt ute i dag.",
        "Kan du hjelpe meg med bagasjen?",
        "Hun bor på Østlandet nå.",
        "Jeg har ikke sett ham på år.",
        "Slutt å krangle, begge to!",
        "Vil du ha en kopp kaffe før du går?",
        "Det blir nok bra til slutt.",
    ),
    "fi": (
        "Missä sinä olet ollut koko päivän?",
        "En tiedä, mitä minun pitäisi tehdä.",
        "Älä huoli, kyllä tämä tästä.",
        "Hän lähti jo eilen kotiin.",
        "Tuletko huomenna mukaan?",
        "Tämä on hyvin tärkeää minulle.",
        "Ovi on lukossa, avaa se.",
        "Olen pahoillani, että myöhästyin.",
        "Mennään syömään jonnekin.",
        "Isä soitti äsken sinulle.",
    ),
    "is": (
        "Hvar varstu í gærkvöldi?",
        "Ég veit ekki hvað ég á að gera.",
        "Þetta er ekki mér að kenna.",
        "Við sjáumst á morgun við höfnina.",
        "Komdu hingað strax!",
        "Hún býr í Reykjavík með móður sinni.",
        "Það er of seint núna.",
        "Hefurðu séð lyklana mína?",
        "Ég er svo þreyttur í dag.",
        "Af hverju sagðirðu mér það ekki?",
    ),
    "pl": (
        "Gdzie byłeś wczoraj wieczorem?",
        "Nie wiem, co mam teraz zrobić.",
        "Przepraszam, że się spóźniłem.",
        "To nie jest moja wina, przysięgam.",
        "Chodź, musimy już iść.",
        "Źle się dzisiaj czuję.",
        "Już nigdy więcej tego nie zrobię.",
        "Mój brat mieszka w Łodzi.",
        "Dlaczego mi nie powiedziałaś?",
        "Zadzwoń do mnie jutro rano.",
    ),
    "cs": (
        "Kde jsi byl včera večer?",
        "Nevím, co mám teď dělat.",
        "Promiň, že jsem přišel pozdě.",
        "To není moje chyba, přísahám.",
        "Pojď, musíme už jít.",
        "Dnes se necítím moc dobře.",
        "Můj bratr bydlí v Brně.",
        "Proč jsi mi to neřekla?",
        "Zavolej mi zítra ráno.",
        "Říkal jsem ti, že to dopadne špatně.",
    ),
    "sk": (
        "Kde si bol včera večer?",
        "Neviem, čo mám teraz robiť.",
        "Prepáč, že som prišiel neskoro.",
        "To nie je moja chyba, prisahám.",
        "Poď, musíme už ísť.",
        "Dnes sa necítim dobre.",
        "Môj brat býva v Košiciach.",
        "Prečo si mi to nepovedala?",
        "Zavolaj mi zajtra ráno.",
        "Ďakujem ti za všetko.",
    ),
    "hu": (
        "Hol voltál tegnap este?",
        "Nem tudom, mit kellene most tennem.",
        "Bocsáss meg, hogy elkéstem.",
        "Ez nem az én hibám, esküszöm.",
        "Gyere, most már mennünk kell.",
        "Ma nem érzem jól magam.",
        "A bátyám Győrben lakik.",
        "Miért nem mondtad el nekem?",
        "Hívj fel holnap reggel.",
        "Ő a legjobb barátom a világon.",
    ),
    "hr": (
        "Gdje si bio sinoć?",
        "Ne znam što sada trebam učiniti.",
        "Oprosti što sam zakasnio.",
        "To nije moja krivnja, kunem se.",
        "Hajde, moramo već ići.",
        "Danas se ne osjećam dobro.",
        "Moj brat živi u Đakovu.",
        "Zašto mi nisi rekla?",
        "Nazovi me sutra ujutro.",
        "Ništa se neće promijeniti, vidjet ćeš.",
    ),
    "sl": (
        "Kje si bil sinoči?",
        "Ne vem, kaj naj zdaj naredim.",
        "Oprosti, ker sem zamudil.",
        "To ni moja krivda, prisežem.",
        "Pridi, moramo že iti.",
        "Danes se ne počutim dobro.",
        "Moj brat živi v Mariboru.",
        "Zakaj mi nisi povedala?",
        "Pokliči me jutri zjutraj.",
        "Še vedno čakam na tvoj odgovor.",
    ),
    "ro": (
        "Unde ai fost aseară?",
        "Nu ştiu ce să fac acum.",
        "Îmi pare rău că am întârziat.",
        "Nu e vina mea, îţi jur.",
        "Hai, trebuie să plecăm.",
        "Azi nu mă simt prea bine.",
        "Fratele meu locuieşte în Braşov.",
        "De ce nu mi-ai spus?",
        "Sună-mă mâine dimineaţă.",
        "Ştiam că o să se întâmple aşa.",
    ),
    "ru": (
        "Где ты был вчера вечером?",
        "Я не знаю, что мне теперь делать.",
        "Прости, что я опоздал.",
        "Это не моя вина, клянусь.",
        "Пойдём, нам уже пора.",
        "Сегодня я плохо себя чувствую.",
        "Мой брат живёт в Москве.",
        "Почему ты мне ничего не сказала?",
        "Позвони мне завтра утром.",
        "Ну и что? Всё равно уже поздно.",
    ),
    "uk": (
        "Де ти був учора ввечері?",
        "Я не знаю, що мені тепер робити.",
        "Вибач, що я запізнився.",
        "Це не моя провина, клянуся.",
        "Ходімо, нам уже час.",
        "Сьогодні я погано почуваюся.",
        "Мій брат живе в Києві.",
        "Чому ти мені нічого не сказала?",
        "Подзвони мені завтра вранці.",
        "Їжа вже холодна, іди їсти.",
    ),
    "bg": (
        "Къде беше снощи?",
        "Не знам какво да правя сега.",
        "Извинявай, че закъснях.",
        "Това не е моя вина, кълна се.",
        "Хайде, трябва вече да тръгваме.",
        "Днес не се чувствам добре.",
        "Брат ми живее в Пловдив.",
        "Защо не ми каза нищо?",
        "Обади ми се утре сутринта.",
        "Всичко ще бъде наред, ще видиш.",
    ),
    "sr": (
        "Где си био синоћ?",
        "Не знам шта сада треба да урадим.",
        "Извини што сам закаснио.",
        "То није моја кривица, кунем се.",
        "Хајде, морамо већ да идемо.",
        "Данас се не осећам добро.",
        "Мој брат живи у Нишу.",
        "Зашто ми ниси рекла?",
        "Позови ме сутра ујутру.",
        "Љубав није довољна, знаш то.",
    ),
    "el": (
        "Πού ήσουν χθες το βράδυ;",
        "Δεν ξέρω τι να κάνω τώρα.",
        "Συγγνώμη που άργησα.",
        "Δεν φταίω εγώ, σου ορκίζομαι.",
        "Έλα, πρέπει να φύγουμε.",
        "Σήμερα δεν νιώθω καλά.",
        "Ο αδελφός μου μένει στη Θεσσαλονίκη.",
        "Γιατί δεν μου το είπες;",
        "Πάρε με τηλέφωνο αύριο το πρωί.",
        "Όλα θα πάνε καλά, θα δεις.",
    ),
    "tr": (
        "Dün akşam neredeydin?",
        "Şimdi ne yapacağımı bilmiyorum.",
        "Geç kaldığım için özür dilerim.",
        "Bu benim suçum değil, yemin ederim.",
        "Hadi, artık gitmemiz lazım.",
        "Bugün kendimi iyi hissetmiyorum.",
        "Ağabeyim İzmir'de yaşıyor.",
        "Neden bana söylemedin?",
        "Yarın sabah beni ara.",
        "Çok güzel bir gün, değil mi?",
    ),
    "he": (
        "איפה היית אתמול בערב?",
        "אני לא יודע מה לעשות עכשיו.",
        "סליחה שאיחרתי.",
        "זאת לא אשמתי, אני נשבע.",
        "בוא, אנחנו חייבים ללכת.",
        "היום אני לא מרגיש טוב.",
        "אחי גר בחיפה.",
        "למה לא אמרת לי כלום?",
        "תתקשר אליי מחר בבוקר.",
        "הכול יהיה בסדר, אתה תראה.",
    ),
    "ar": (
        "أين كنت ليلة أمس؟",
        "لا أعرف ماذا أفعل الآن.",
        "آسف لأنني تأخرت.",
        "هذا ليس خطئي، أقسم لك.",
        "هيا، يجب أن نذهب الآن.",
        "لا أشعر أنني بخير اليوم.",
        "أخي يسكن في القاهرة.",
        "لماذا لم تخبرني بشيء؟",
        "اتصل بي غدا صباحا.",
        "كل شيء سيكون على ما يرام.",
    ),
    "et": (
        "Kus sa eile õhtul olid?",
        "Ma ei tea, mida ma nüüd tegema peaksin.",
        "Vabandust, et ma hiljaks jäin.",
        "See pole minu süü, ma vannun.",
        "Tule, me peame juba minema.",
        "Täna ma ei tunne end hästi.",
        "Mu vend elab Tartus.",
        "Miks sa mulle ei öelnud?",
        "Helista mulle homme hommikul.",
        "Kõik saab korda, küll sa näed.",
    ),
    "lt": (
        "Kur buvai vakar vakare?",
        "Nežinau, ką dabar turėčiau daryti.",
        "Atsiprašau, kad pavėlavau.",
        "Tai ne mano kaltė, prisiekiu.",
        "Eime, mums jau laikas.",
        "Šiandien jaučiuosi prastai.",
        "Mano brolis gyvena Kaune.",
        "Kodėl man nieko nepasakei?",
        "Paskambink man rytoj ryte.",
        "Viskas bus gerai, pamatysi.",
    ),
    "lv": (
        "Kur tu biji vakar vakarā?",
        "Es nezinu, ko man tagad darīt.",
        "Piedod, ka nokavēju.",
        "Tā nav mana vaina, es zvēru.",
        "Nāc, mums jau jāiet.",
        "Šodien es nejūtos labi.",
        "Mans brālis dzīvo Rīgā.",
        "Kāpēc tu man neko neteici?",
        "Piezvani man rīt no rīta.",
        "Viss būs labi, tu redzēsi.",
    ),
    "vi": (
        "Tối qua anh đã ở đâu?",
        "Em không biết bây giờ phải làm gì.",
        "Xin lỗi vì tôi đến muộn.",
        "Đó không phải lỗi của tôi, tôi thề.",
        "Đi nào, chúng ta phải đi rồi.",
        "Hôm nay tôi thấy không khỏe.",
        "Anh trai tôi sống ở Hà Nội.",
        "Sao em không nói với anh?",
        "Sáng mai gọi cho tôi nhé.",
        "Mọi chuyện sẽ ổn thôi.",
    ),
    "th": (
        "เมื่อคืนคุณไปไหนมา",
        "ผมไม่รู้ว่าตอนนี้ต้องทำอะไร",
        "ขอโทษที่มาสาย",
        "ไม่ใช่ความผิดของฉัน สาบานได้",
        "ไปกันเถอะ เราต้องไปแล้ว",
        "วันนี้ฉันรู้สึกไม่ค่อยสบาย",
        "พี่ชายของผมอยู่ที่เชียงใหม่",
        "ทำไมไม่บอกฉันเลย",
        "พรุ่งนี้เช้าโทรหาผมนะ",
        "ทุกอย่างจะเรียบร้อย เชื่อฉันสิ",
    ),
    "ja": (
        "昨日の夜、どこにいたの？",
        "今、何をすればいいのか分からない。",
        "遅れてごめんなさい。",
        "私のせいじゃない、本当だよ。",
        "さあ、もう行かなきゃ。",
        "今日はちょっと気分が悪いんだ。",
        "兄は大阪に住んでいます。",
        "どうして何も言ってくれなかったの？",
        "明日の朝、電話してね。",
        "大丈夫、きっと上手くいくよ。",
    ),
    "zh-Hans": (
        "你昨天晚上去哪儿了？",
        "我现在不知道该怎么办。",
        "对不起，我来晚了。",
        "这不是我的错，我发誓。",
        "走吧，我们得走了。",
        "我今天不太舒服。",
        "我哥哥住在上海。",
        "你为什么什么都不告诉我？",
        "明天早上给我打电话。",
        "一切都会好起来的，你看着吧。",
    ),
    "zh-Hant": (
        "你昨天晚上去哪裡了？",
        "我現在不知道該怎麼辦。",
        "對不起，我來晚了。",
        "這不是我的錯，我發誓。",
        "走吧，我們得走了。",
        "我今天不太舒服。",
        "我哥哥住在臺北。",
        "你為什麼什麼都不告訴我？",
        "明天早上給我打電話。",
        "一切都會好起來的，你看著吧。",
    ),
    "ko": (
        "어젯밤에 어디 있었어?",
        "지금 뭘 해야 할지 모르겠어.",
        "늦어서 미안해.",
        "내 잘못이 아니야, 맹세해.",
        "가자, 이제 가야 해.",
        "오늘은 몸이 좀 안 좋아.",
        "우리 형은 부산에 살아.",
        "왜 나한테 아무 말도 안 했어?",
        "내일 아침에 전화해.",
        "다 잘될 거야, 두고 봐.",
    ),
}

#: (language, Python codec) pairs: the legacy code pages subtitle files in each language are found in.
CELLS: tuple[tuple[str, str], ...] = (
    ("fr", "cp1252"), ("fr", "iso8859_15"),
    ("de", "cp1252"), ("de", "latin_1"),
    ("es", "cp1252"), ("es", "latin_1"),
    ("pt", "cp1252"), ("pt", "latin_1"),
    ("it", "cp1252"), ("nl", "cp1252"),
    ("da", "cp1252"), ("sv", "cp1252"), ("sv", "latin_1"),
    ("no", "cp1252"), ("fi", "cp1252"), ("is", "cp1252"),
    ("pl", "cp1250"), ("pl", "iso8859_2"),
    ("cs", "cp1250"), ("cs", "iso8859_2"),
    ("sk", "cp1250"), ("hu", "cp1250"), ("hu", "iso8859_2"),
    ("hr", "cp1250"), ("sl", "cp1250"), ("ro", "cp1250"), ("ro", "iso8859_2"),
    ("ru", "cp1251"), ("ru", "koi8_r"), ("uk", "cp1251"), ("uk", "koi8_u"),
    ("bg", "cp1251"), ("sr", "cp1251"),
    ("el", "cp1253"), ("el", "iso8859_7"),
    ("tr", "cp1254"), ("tr", "iso8859_9"),
    ("he", "cp1255"), ("he", "iso8859_8"),
    ("ar", "cp1256"),
    ("et", "cp1257"), ("lt", "cp1257"), ("lt", "iso8859_13"), ("lv", "cp1257"),
    ("vi", "cp1258"),
    ("th", "tis_620"),
    ("ja", "shift_jis"), ("ja", "euc_jp"),
    ("zh-Hans", "gb18030"), ("zh-Hant", "big5"),
    ("ko", "euc_kr"),
)


def encode_legacy(text: str, codec: str) -> bytes:
    """``text`` in ``codec``; cp1258 spells Vietnamese tones as combining marks, as its files do."""
    if codec != "cp1258":
        return text.encode(codec)
    out = bytearray()
    for char in text:
        try:
            out += char.encode(codec)
            continue
        except UnicodeEncodeError:
            pass
        # A base letter (possibly with a circumflex, breve or horn, which cp1258 has
        # precomposed) followed by the combining tone mark.
        parts = unicodedata.normalize("NFD", char)
        base, marks = parts[0], parts[1:]
        for mark in marks:
            composed = unicodedata.normalize("NFC", base + mark)
            if len(composed) == 1 and composed.encode(codec, errors="ignore"):
                base, marks = composed, marks.replace(mark, "", 1)
                break
        out += (base + marks).encode(codec)
    return bytes(out)


def _stamp(ms: int) -> str:
    return f"{ms // 3_600_000:02}:{ms // 60_000 % 60:02}:{ms // 1000 % 60:02},{ms % 1000:03}"


def srt_text(lines: list[str]) -> str:
    """An SRT document with one cue per line, two and a half seconds each."""
    blocks = []
    for index, line in enumerate(lines):
        start = 1000 + index * 3000
        blocks.append(f"{index + 1}\r\n{_stamp(start)} --> {_stamp(start + 2500)}\r\n{line}\r\n")
    return "\r\n".join(blocks)


def _cycle(language: str, count: int, first: int) -> list[str]:
    lines = LINES[language]
    return [lines[(first + i) % len(lines)] for i in range(count)]


#: What files in a code page without typographic punctuation write instead.
_PLAIN = {"…": "...", "—": "-", "–": "-", "’": "'", "“": '"', "”": '"'}


def _fit(line: str, codec: str) -> str:
    out = []
    for char in line:
        try:
            encode_legacy(char, codec)
            out.append(char)
        except UnicodeEncodeError:
            out.append(_PLAIN[char])
    return "".join(out)


def srt_bytes(language: str, codec: str, cues: int, first: int = 0) -> tuple[bytes, str]:
    """An SRT file of ``cues`` lines of ``language`` from line ``first`` on, and its text."""
    text = srt_text([_fit(line, codec) for line in _cycle(language, cues, first)])
    return encode_legacy(text, codec), text


def short_files(language: str, codec: str) -> list[tuple[bytes, str]]:
    """One three-cue file starting at each of the language's lines."""
    return [srt_bytes(language, codec, 3, first) for first in range(len(LINES[language]))]
