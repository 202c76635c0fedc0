/* practice.c: the practice library's texts and lookups (see practice.h).
 *
 * The texts are product content that people read when something in their
 * relationship needs attention, so they are written to help rather than to
 * judge: they describe what to do and why, never who is to blame. The
 * practice answering a reported incident never asks anyone to apologise
 * for something they have not acknowledged (TRUST-MODEL.md 5).
 */
#include "domain/practice.h"

#include <string.h>

static const practice g_practices[] = {
    {1,
     "agree-expectations",
     "Agree expectations and cadence",
     "Trust grows fastest when both of you know what to expect. Sit down together and agree how "
     "often you will meet, how you will reach each other between meetings, how quickly you will "
     "reply and what stays between you. Write it into your agreement so that neither of you has "
     "to guess, and come back to it whenever the rhythm stops fitting your lives: changing the "
     "agreement openly is a sign of a healthy relationship, not a failure.",
     {"Do my actions match what I agreed?",
      "Is the rhythm we set still realistic for both of us, or has one of us quietly stopped "
      "keeping it?",
      "What would I change in our agreement, and have I said so?"},
     3,
     {"CADENCE_GAP", "NO_AGREEMENT"},
     2},
    {2,
     "protect-checkins",
     "Protect the time you agreed",
     "One cancelled meeting costs little; a pattern of late cancellations tells the other person "
     "that they come last. When a check-in really cannot happen, say so as early as you can and "
     "offer a new time in the same message. If the agreed slot keeps clashing with other work, "
     "the slot is the problem: move it to one you can keep rather than keep breaking it.",
     {"When I last cancelled or moved a meeting, how much notice did I give, and did I offer "
      "another time?",
      "Is there a time we could meet that I would protect as firmly as my other commitments?",
      "How would I feel if the other person treated our meetings the way I have lately?"},
     3,
     {"LATE_CANCELLATIONS"},
     1},
    {3,
     "keep-or-renegotiate",
     "Keep or renegotiate commitments early",
     "\"I'll send it by Friday\" is a small promise, and small promises kept are how reliability "
     "becomes visible. Make fewer commitments and make them specific. When you see one slipping, "
     "renegotiate before the due date rather than after: a new date agreed in advance keeps "
     "trust intact, while a deadline that passes in silence costs far more than the task was "
     "worth.",
     {"Which of my open commitments am I unlikely to keep as stated, and have I said so yet?",
      "Am I promising more than I can realistically do between our meetings?",
      "What would help me notice earlier that something is slipping?"},
     3,
     {"FOLLOW_THROUGH"},
     1},
    {4,
     "reply-within-window",
     "Reply within the window",
     "Waiting for an answer is hard when you do not know whether your message was even seen. "
     "You agreed a reply window together; keep to it, even when the full answer needs longer. A "
     "short \"Got it, I'll come back to you by Thursday\" keeps the promise and sets a new "
     "expectation. If the window no longer suits your week, change it in the agreement rather "
     "than stretching it in silence.",
     {"Which messages from the other person are still waiting for me?",
      "Do I acknowledge a request promptly, even when I cannot answer it fully yet?",
      "Is our reply window realistic for me, or should we agree a different one?"},
     3,
     {"SLOW_REPLIES"},
     1},
    {5,
     "ask-for-feedback",
     "Ask for feedback",
     "When feedback only flows one way the relationship becomes lopsided: one person is always "
     "being assessed, and the other never learns how they come across. Ask directly and "
     "specifically (\"What is one thing I could do differently in our sessions?\") and make it "
     "easy to answer honestly. When feedback comes, thank the person and show what you changed "
     "because of it; that is what makes them willing to give it again.",
     {"When did I last ask how our relationship is working for the other person, and what did I "
      "do with the answer?",
      "Do I make it easy to tell me something I might not want to hear?",
      "What is one specific question I could ask at our next check-in?"},
     3,
     {"ONE_WAY_FEEDBACK"},
     1},
    {6,
     "balance-feedback",
     "Pair recognition with task-focused suggestions",
     "Feedback helps most when it is about the work rather than the person, and when it covers "
     "both what is going well and what could be better. Name specific progress when you see it. "
     "When something needs to change, describe the situation and its effect and suggest a next "
     "step, rather than commenting on character. There is no magic ratio of praise to "
     "criticism; what matters is that the other person hears both, and hears them as help.",
     {"Looking at the feedback I have given lately, is it mostly praise, mostly criticism, or "
      "both?",
      "Was my last suggestion about something the other person can change, or about who they "
      "are?",
      "What progress have I noticed but not yet mentioned?"},
     3,
     {"CRITICISM_HEAVY", "NO_CONSTRUCTIVE"},
     2},
    {7,
     "restate-confidentiality",
     "Restate the confidentiality agreement",
     "People speak openly only when they are confident that what they share stays between you, "
     "and that they can disagree without being judged for it. Go back to what you agreed about "
     "confidentiality, say it again in your own words, and be explicit about the exceptions (a "
     "risk to someone's safety, for example) and what would happen then. Then ask whether "
     "anything has made the other person less sure, and listen before you explain.",
     {"Could the other person say, in their own words, what I will and will not share with "
      "others?",
      "Have I said or done anything that might have made it feel less safe to speak freely, or "
      "to disagree with me?",
      "How do I react when I am challenged, and would I want to be on the other end of that "
      "reaction?"},
     3,
     {"SAFETY_DOUBT"},
     1},
    {8,
     "set-smart-goals",
     "Set SMART goals",
     "Without goals a relationship drifts, and meetings become pleasant conversations that lead "
     "nowhere in particular. Agree a small number of goals that are specific, measurable, "
     "achievable, relevant and time-bound, and describe what \"as expected\", \"better\" and "
     "\"much better\" would look like. Goals are not a contract: review them regularly and change "
     "them when the learner's situation changes.",
     {"Could both of us say what we are working towards, and how we will know we got there?",
      "Is each goal the learner's own, or one I chose for them?",
      "When did we last review our goals, and are they still the right ones?"},
     3,
     {"NO_GOALS"},
     1},
    {9,
     "celebrate-milestones",
     "Celebrate milestones",
     "Progress in learning is slow and easy to overlook, most of all by the person making it. "
     "Mark milestones when they happen: name what was achieved, what it took and what it makes "
     "possible next. Celebrating is not flattery; it is accurate recognition, and it gives both "
     "of you the energy to keep going through the harder stretches.",
     {"What has been achieved since we started that we have not yet stopped to recognise?",
      "Do I notice progress as readily as I notice what is still missing?",
      "How would the other person like their progress to be recognised?"},
     3,
     {NULL},
     0},
    {10,
     "respond-to-concern",
     "Respond to a reported concern",
     "When one of you reports that something went wrong, the first task is to understand it, "
     "not to settle who is right. The person who raised it deserves to be heard in full; the "
     "person it concerns deserves the chance to say what they recognise and what they do not. "
     "Nobody should apologise for something they do not believe happened, and a concern only "
     "counts against anyone once the person concerned has acknowledged it. Talk it through, "
     "agree what happens next, and mark the concern resolved when you have.",
     {"Have I heard the whole account before responding to it?",
      "What, honestly, do I recognise in what was described?",
      "What would each of us need in order to consider this resolved?"},
     3,
     {"INCIDENT"},
     1},
    {11,
     PRACTICE_REPAIR_SLUG,
     "Rebuild after a breach",
     "Broken trust can be rebuilt, but not by words alone. Once the person concerned has "
     "acknowledged what happened, the path is: describe it in your own words, take "
     "responsibility for your part without excuses, agree concrete amends with dates, and then "
     "keep them, visibly, over the weeks that follow. Expect the recovery to take longer than "
     "the breach did: it is the run of kept commitments, not the apology, that rebuilds "
     "confidence.",
     {"Can I describe what happened, and its effect on the other person, without minimising it?",
      "Which specific actions, with dates, would show that it will not happen again?",
      "What will I do if I see myself slipping on one of them?"},
     3,
     {NULL},
     0},
    {12,
     "review-the-relationship",
     "Talk about how the relationship is going",
     "Scores and surveys are a prompt, not a verdict. When the signals show that one of you "
     "feels less confident than before, or that the two of you see things differently, set "
     "aside part of your next check-in to talk about the relationship itself rather than the "
     "work: what is helping, what has changed, what each of you needs. Ask openly and do not "
     "press for reasons; people often find it easier to say what would help than what went "
     "wrong.",
     {"What has changed in our relationship, or in our circumstances, over the last few weeks?",
      "What would I like more of, and less of, from our time together?",
      "Have I asked the other person how they experience our relationship, and really listened "
      "to the answer?"},
     3,
     {"PULSE_DROP", "PERCEPTION_GAP", "ONE_SIDED_DRIFT", "DECLINING"},
     4},
};

#define NPRACTICES (sizeof g_practices / sizeof g_practices[0])

size_t practice_count(void) { return NPRACTICES; }

const practice *practice_at(size_t i) { return i < NPRACTICES ? &g_practices[i] : NULL; }

const practice *practice_by_id(int id) {
  for (size_t i = 0; i < NPRACTICES; i++)
    if (g_practices[i].id == id) return &g_practices[i];
  return NULL;
}

const practice *practice_by_slug(const char *slug) {
  for (size_t i = 0; slug && i < NPRACTICES; i++)
    if (strcmp(g_practices[i].slug, slug) == 0) return &g_practices[i];
  return NULL;
}

const practice *practice_for_warning(const char *code) {
  for (size_t i = 0; code && i < NPRACTICES; i++)
    for (size_t k = 0; k < g_practices[i].nwarnings; k++)
      if (strcmp(g_practices[i].warnings[k], code) == 0) return &g_practices[i];
  return NULL;
}
