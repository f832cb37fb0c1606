/*
 * Chinese (Simplified) strings of the xueshi_practice page and editor.
 * Keys are the English source strings used in public/js/*.js (gettext("...")).
 */
(function (global) {
  "use strict";
  global.XueshiPracticeI18N = Object.assign(global.XueshiPracticeI18N || {}, {
    "(submitted automatically when time was up)": "（考试时间到，已自动交卷）",
    "Another set": "再练一组",
    "Answer saved.": "答案已保存。",
    "Answer: {answer}": "正确答案：{answer}",
    "Blank {n}": "第 {n} 空",
    "Check my answer": "提交答案",
    "Choose or write an answer first.": "请先选择或填写答案。",
    "Correct!": "回答正确！",
    "False": "错误",
    "Not quite.": "回答错误。",
    "Saving": "正在保存",
    "Saving failed.": "保存失败。",
    "Score: {correct} of {total} ({percent}%) — {verdict}": "得分：{total} 题答对 {correct} 题（{percent}%）——{verdict}",
    "Set finished. Start another set or retry your wrong answers.": "本组练习已完成。可以再练一组，或重做错题。",
    "Something went wrong.": "出错了，请重试。",
    "Submit the exam": "交卷",
    "Submit the exam now? You cannot change answers afterwards.": "确定现在交卷吗？交卷后不能再修改答案。",
    "Take the exam again": "再考一次",
    "Time is up.": "考试时间到。",
    "Time left {clock}": "剩余时间 {clock}",
    "True": "正确",
    "attempts left: {n}": "剩余考试次数：{n}",
    "best score: {score}%": "最好成绩：{score}%",
    "not passed": "未通过",
    "passed": "通过",
    "wrong-answer book: {n}": "错题本：{n} 题",
    "{count} questions available": "题库中共 {count} 道可用试题",
    "{minutes} minutes, pass mark {pass}%": "限时 {minutes} 分钟，及格线 {pass}%"
  });
})(window);
