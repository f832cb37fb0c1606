/*
 * Chinese (Simplified) strings of the xueshi_video player and editor.
 * Keys are the English source strings used in frontend/src/*.js (gettext("...")).
 * Loaded before public/js/dist/*.js when the page language is Chinese.
 */
(function (global) {
  "use strict";
  global.XueshiVideoI18N = Object.assign(global.XueshiVideoI18N || {}, {
    "Connection problem: study time is not being counted right now.": "网络连接有问题：当前不计学时。",
    "Pause": "暂停",
    "Paused because a video started playing in another tab.": "已暂停：另一个标签页开始播放视频。",
    "Paused because the page was hidden. Study time counts only while you watch.": "页面被隐藏，视频已暂停。只有观看时才计学时。",
    "Play": "播放",
    "Playback continued on another page or device, so it stopped here.": "您已在其他页面或设备上继续播放，本页已停止。",
    "Playback could not start. Please reload the page.": "无法开始播放，请刷新页面。",
    "Press play to start the video.": "请点击播放开始学习。",
    "Saving failed.": "保存失败。",
    "Saving": "正在保存",
    "Study here instead": "改在本页学习",
    "That did not reach the server. Please try again.": "未能送达服务器，请重试。",
    "The playback speed of this video is fixed by the course.": "本视频的播放速度由课程设定，不能更改。",
    "This playback session has ended. Press play to continue.": "本次播放会话已结束，请点击播放继续。",
    "Watched {watched} of {total} minutes": "已观看 {watched} / {total} 分钟",
    "Watched {watched} of {total} minutes, credited today {today} minutes": "已观看 {watched} / {total} 分钟，今日已计学时 {today} 分钟",
    "You can only jump to parts you have already watched.": "只能跳转到已观看过的部分。",
    "You can only skip to parts you have already watched.": "只能拖动到已观看过的部分。",
    "Your browser cannot play this video.": "您的浏览器无法播放本视频。",
    "{minutes} minutes {seconds} seconds": "{minutes}分{seconds}秒"
  });
})(window);
