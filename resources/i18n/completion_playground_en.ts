<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>ChoicePane</name>
    <message numerus="yes">
        <source>%n token(s)</source>
        <translation>
            <numerusform>%n token</numerusform>
            <numerusform>%n tokens</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TokenCounter</name>
    <message numerus="yes">
        <source>%n token(s)</source>
        <extracomment>Prompts longer than this are only estimated (a tokenizer request would be as big). Up to this many characters the estimate is made at once (well under a millisecond). The last figure shown: (count, exact). While this says so (a run writing into the document) nothing is counted: the text changes every frame, and the run&apos;s end schedules a count.</extracomment>
        <translation>
            <numerusform>%n token</numerusform>
            <numerusform>%n tokens</numerusform>
        </translation>
    </message>
</context>
</TS>
